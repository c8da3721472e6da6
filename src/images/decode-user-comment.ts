import { decodeLatin1OrUtf8, decodeUtf16Detected, stripTrailingNuls } from './decode-text.js';

const UNICODE_PREFIX = 'UNICODE\0';
const ASCII_PREFIX = 'ASCII\0\0\0';
const JIS_PREFIX = 'JIS\0\0\0\0\0';

/**
 * The text of an EXIF UserComment (tag 0x9286): an 8-byte character-code prefix then the text.
 * `UNICODE\0` is followed by UTF-16 whose byte order is detected from the text (writers such as
 * piexif use big-endian whatever the TIFF header says); `ASCII\0\0\0`, an all-zero (undefined)
 * prefix, `JIS`, or no recognised prefix at all are read as UTF-8 when valid, Latin-1 otherwise.
 * Trailing NULs are removed. Never throws.
 *
 * @example decodeUserComment(bytesOf('ASCII\0\0\0Steps: 20'), true) // → 'Steps: 20'
 */
export function decodeUserComment(value: Uint8Array, tiffLittleEndian: boolean): string {
  const prefix = String.fromCharCode(...value.subarray(0, 8));
  let text: string;
  if (prefix === UNICODE_PREFIX) {
    text = decodeUtf16Detected(value.subarray(8), tiffLittleEndian);
  } else if (prefix === ASCII_PREFIX || prefix === JIS_PREFIX || prefix === '\0'.repeat(8)) {
    text = decodeLatin1OrUtf8(value.subarray(8));
  } else if (looksLikeUtf16(value)) {
    text = decodeUtf16Detected(value, tiffLittleEndian);
  } else {
    text = decodeLatin1OrUtf8(value);
  }
  return stripTrailingNuls(text).replace(/^\uFEFF/, '');
}

/** UTF-16 without a prefix: about every other byte of the start is zero (ASCII-range text). */
function looksLikeUtf16(value: Uint8Array): boolean {
  const sample = value.subarray(0, 64);
  if (sample.length < 4) return false;
  let zeros = 0;
  for (const byte of sample) if (byte === 0) zeros++;
  return zeros >= sample.length / 3;
}
