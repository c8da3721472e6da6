import { Buffer } from 'node:buffer';
import { crc32 as zlibCrc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSeedString } from '../../src/images/coerce-value.js';
import { crc32 } from '../../src/images/crc32.js';
import { decodeLatin1OrUtf8, decodeUtf16Detected, stripTrailingNuls } from '../../src/images/decode-text.js';
import { detectImageFormat } from '../../src/images/detect-image-format.js';
import { inflateText } from '../../src/images/inflate-text.js';
import { resolveMetadataLimits } from '../../src/images/metadata-limits.js';
import { parseA1111SettingsLine } from '../../src/images/parse-a1111-parameters.js';
import { parseJsonKeepingBigIntegers } from '../../src/images/parse-json-keeping-big-integers.js';

describe('crc32', () => {
  it('matches the documented example and zlib on random data', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    expect(crc32(new Uint8Array())).toBe(0);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => crc32(bytes) === zlibCrc32(bytes)));
  });
});

describe('parseJsonKeepingBigIntegers', () => {
  it('keeps integers past 2^53 as exact strings and leaves the rest alone', () => {
    expect(parseJsonKeepingBigIntegers('{"seed": 18446744073709551615, "cfg": 7}')).toEqual({ seed: '18446744073709551615', cfg: 7 });
    expect(parseJsonKeepingBigIntegers('[9007199254740991, 9007199254740993, -9007199254740993, 1.5e300, 12345678901234567890.5]')).toEqual([
      9007199254740991,
      '9007199254740993',
      '-9007199254740993',
      1.5e300,
      12345678901234567890.5,
    ]);
    expect(parseJsonKeepingBigIntegers('{"text": "seed 18446744073709551615 \\" 99999999999999999999"}')).toEqual({
      text: 'seed 18446744073709551615 " 99999999999999999999',
    });
    expect(parseJsonKeepingBigIntegers('{"a": 1}\0\0')).toEqual({ a: 1 });
    expect(parseJsonKeepingBigIntegers('not json')).toBeUndefined();
    expect(parseJsonKeepingBigIntegers('')).toBeUndefined();
  });

  it('round-trips any big integer exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (n) => {
        const parsed = parseJsonKeepingBigIntegers(`{"seed": ${n}}`) as { seed: unknown };
        expect(toSeedString(parsed.seed)).toBe(n.toString());
      }),
    );
  });
});

describe('text decoding', () => {
  it('matches the documented examples', () => {
    expect(decodeLatin1OrUtf8(Uint8Array.of(0xe3, 0x83, 0x86))).toBe('テ');
    expect(decodeLatin1OrUtf8(Uint8Array.of(0xe9))).toBe('é');
    expect(decodeUtf16Detected(Uint8Array.of(0, 0x68, 0, 0x69), true)).toBe('hi');
    expect(decodeUtf16Detected(Uint8Array.of(0xff, 0xfe, 0x68, 0, 0x69, 0), false)).toBe('hi');
    expect(stripTrailingNuls('{}\u0000')).toBe('{}');
  });
});

describe('small helpers', () => {
  it('match their documented examples', () => {
    expect(detectImageFormat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg');
    expect(resolveMetadataLimits({ maxPixels: 4096 }).maxPixels).toBe(4096);
    expect(resolveMetadataLimits({ maxPixels: Number.NaN, maxTextChunkBytes: -1 })).toEqual(resolveMetadataLimits(undefined));
    expect(toSeedString('18446744073709551615')).toBe('18446744073709551615');
    expect(toSeedString(2 ** 60)).toBeNull();
    expect(Buffer.from(inflateText(deflateSync(Buffer.from('hi')), 'zTXt "parameters"', 1024)).toString()).toBe('hi');
    expect(parseA1111SettingsLine('Steps: 20, Lora hashes: "a: 1, b: 2"')).toEqual(
      new Map([
        ['Steps', '20'],
        ['Lora hashes', 'a: 1, b: 2'],
      ]),
    );
  });
});
