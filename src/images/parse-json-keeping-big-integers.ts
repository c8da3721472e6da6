import { stripTrailingNuls } from './decode-text.js';

/**
 * `JSON.parse` that keeps integers beyond 2^53 exact: before parsing, every integer literal outside
 * a string whose value is not a safe integer is wrapped in quotes, so it arrives as its decimal
 * string (seeds reach 2^64). Other numbers, and everything inside strings, are left alone. Trailing
 * NULs, surrounding whitespace and a byte-order mark are removed first. Cost: O(n) for the scan plus
 * the parse.
 *
 * Returns `undefined` (never throws) when the text is not JSON.
 *
 * @example parseJsonKeepingBigIntegers('{"seed": 18446744073709551615, "cfg": 7}')
 * // → { seed: '18446744073709551615', cfg: 7 }
 */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  const cleaned = stripTrailingNuls(text).replace(/^\uFEFF/, '').trim();
  if (cleaned === '') return undefined;
  try {
    return JSON.parse(quoteBigIntegers(cleaned)) as unknown;
  } catch {
    return undefined;
  }
}

/** The JSON text with each unsafe integer literal (outside strings) turned into a string literal. */
function quoteBigIntegers(json: string): string {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  const n = json.length;
  while (i < n) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < n) {
        const d = json.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      if (c === 0x2d) i++;
      while (i < n && isDigit(json.charCodeAt(i))) i++;
      const integerEnd = i;
      let isInteger = true;
      if (i < n && json.charCodeAt(i) === 0x2e /* . */) {
        isInteger = false;
        i++;
        while (i < n && isDigit(json.charCodeAt(i))) i++;
      }
      if (i < n && (json.charCodeAt(i) | 0x20) === 0x65 /* e */) {
        isInteger = false;
        i++;
        if (i < n && (json.charCodeAt(i) === 0x2b || json.charCodeAt(i) === 0x2d)) i++;
        while (i < n && isDigit(json.charCodeAt(i))) i++;
      }
      // 15 digits always fit in a double exactly; only longer literals need the exact check.
      const digitCount = integerEnd - start - (c === 0x2d ? 1 : 0);
      if (isInteger && digitCount > 15 && !Number.isSafeInteger(Number(json.slice(start, integerEnd)))) {
        out += json.slice(copiedUpTo, start) + '"' + json.slice(start, integerEnd) + '"';
        copiedUpTo = integerEnd;
      }
      if (i === start) i++;
      continue;
    }
    i++;
  }
  return copiedUpTo === 0 ? json : out + json.slice(copiedUpTo);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
