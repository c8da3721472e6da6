import { Buffer } from 'node:buffer';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Text from bytes that are meant to be Latin-1 (PNG tEXt/zTXt, EXIF ASCII) but that some writers
 * fill with UTF-8: decoded as UTF-8 when the bytes are valid UTF-8, as ISO-8859-1 otherwise. Plain
 * ASCII reads the same either way. Cost: O(n). Never throws.
 *
 * @example decodeLatin1OrUtf8(Uint8Array.of(0xe3, 0x83, 0x86)) // → 'テ'
 * @example decodeLatin1OrUtf8(Uint8Array.of(0xe9)) // → 'é'
 */
export function decodeLatin1OrUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeLatin1(bytes);
  }
}

/**
 * ISO-8859-1 text: each byte is the code point of the same number (unlike the WHATWG "latin1"
 * label, which means windows-1252). Never throws.
 *
 * @example decodeLatin1(Uint8Array.of(0x41, 0xe9)) // → 'Aé'
 */
export function decodeLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * UTF-8 text, with invalid sequences replaced by U+FFFD (iTXt is UTF-8 by definition). Never throws.
 *
 * @example decodeUtf8(Uint8Array.of(0x68, 0x69)) // → 'hi'
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * UTF-16 text whose byte order is detected from the text itself: a byte-order mark if present;
 * otherwise the side where zero bytes fall (ASCII-heavy text has its zero high bytes at odd offsets
 * in little-endian, even in big-endian); otherwise the order that decodes with fewer broken
 * surrogates and control characters; otherwise the side with fewer distinct byte values is taken for
 * the high bytes; `fallbackLittleEndian` only breaks a tie. Needed because EXIF
 * UserComment's byte order often disagrees with the TIFF header's. Never throws.
 *
 * @example decodeUtf16Detected(Uint8Array.of(0, 0x68, 0, 0x69), true) // → 'hi'
 */
export function decodeUtf16Detected(bytes: Uint8Array, fallbackLittleEndian: boolean): string {
  const even = bytes.length - (bytes.length % 2);
  const body = bytes.subarray(0, even);
  if (body.length >= 2) {
    if (body[0] === 0xff && body[1] === 0xfe) return decodeUtf16(body.subarray(2), true);
    if (body[0] === 0xfe && body[1] === 0xff) return decodeUtf16(body.subarray(2), false);
  }
  let zerosAtEven = 0;
  let zerosAtOdd = 0;
  for (let i = 0; i < body.length; i += 2) {
    if (body[i] === 0) zerosAtEven++;
    if (body[i + 1] === 0) zerosAtOdd++;
  }
  if (zerosAtOdd > zerosAtEven) return decodeUtf16(body, true);
  if (zerosAtEven > zerosAtOdd) return decodeUtf16(body, false);
  const little = decodeUtf16(body, true);
  const big = decodeUtf16(body, false);
  const littleScore = oddCharacterCount(little);
  const bigScore = oddCharacterCount(big);
  if (littleScore !== bigScore) return littleScore < bigScore ? little : big;
  // Text without ASCII (all CJK, say) has no zero bytes; its high bytes still vary less than its
  // low bytes (kana all start 0x30), so the side with fewer distinct values holds the high bytes.
  const distinctEven = new Set<number>();
  const distinctOdd = new Set<number>();
  for (let i = 0; i < body.length; i += 2) {
    distinctEven.add(body[i] ?? 0);
    distinctOdd.add(body[i + 1] ?? 0);
  }
  if (distinctOdd.size < distinctEven.size) return little;
  if (distinctEven.size < distinctOdd.size) return big;
  return fallbackLittleEndian ? little : big;
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): string {
  return new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be').decode(bytes);
}

/** Replacement characters, control characters and private-use code points: signs of the wrong byte order. */
function oddCharacterCount(text: string): number {
  let count = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0xfffd || (cp < 0x20 && cp !== 0x0a && cp !== 0x0d && cp !== 0x09) || (cp >= 0xe000 && cp <= 0xf8ff)) {
      count++;
    }
  }
  return count;
}

/**
 * The text without trailing NUL characters (some writers end a JSON payload or an EXIF string with
 * one or more).
 *
 * @example stripTrailingNuls('{}\u0000') // → '{}'
 */
export function stripTrailingNuls(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return end === text.length ? text : text.slice(0, end);
}
