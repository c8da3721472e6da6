/**
 * Small converters from loosely typed metadata values (JSON fields, infotext strings) to the types
 * of `GenerationMetadata`. Each returns null rather than throwing when the value does not fit.
 */

/** Longer numeric strings are not settings (a 64-bit seed has 20 digits). */
const MAX_NUMBER_LENGTH = 100;

/**
 * A finite number from a number or a numeric string; null otherwise.
 *
 * @example toFiniteNumber(' 7.5 ') // → 7.5
 */
export function toFiniteNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    // The length check keeps the pattern from backtracking over a hostile megabyte of digits.
    if (trimmed.length > MAX_NUMBER_LENGTH || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return null;
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * A non-negative safe integer (a step count, a size) from a number or numeric string; null otherwise.
 *
 * @example toCount('20') // → 20
 */
export function toCount(value: unknown): number | null {
  const n = toFiniteNumber(value);
  return n !== null && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/**
 * A seed as an exact decimal string. Accepts integer strings of any length (how big seeds reach us
 * after `parseJsonKeepingBigIntegers`) and safe-integer numbers; null for anything else, including
 * a number already past 2^53 (its digits are no longer the seed's).
 *
 * @example toSeedString('18446744073709551615') // → '18446744073709551615'
 */
export function toSeedString(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
  if (typeof value !== 'string' || value.length > MAX_NUMBER_LENGTH) return null;
  const match = /^\s*([-+]?)0*(\d+)\s*$/.exec(value);
  if (match === null) return null;
  const digits = match[2] ?? '0';
  return match[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}

/**
 * A non-empty trimmed string from a string (or a number, written in decimal); null otherwise.
 *
 * @example toText('  euler ') // → 'euler'
 */
export function toText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * A plain object (not null, not an array) or null, to walk JSON safely.
 *
 * @example asRecord([1]) // → null
 */
export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * True for the seed -1, which tools write for "pick one at random" rather than the seed used.
 *
 * @example isRandomSeed('-1') // → true
 */
export function isRandomSeed(seed: string | null): boolean {
  return seed === '-1';
}
