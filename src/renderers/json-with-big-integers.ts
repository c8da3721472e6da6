/**
 * `JSON.stringify` that writes bigint values as plain JSON integers, so a seed above 2^53 reaches the
 * generator exact (both ComfyUI and A1111 read integers of any size; JavaScript numbers cannot hold
 * them). Each bigint is first written as a marker string carrying a random nonce, then the marker is
 * replaced by the digits; a string in the data cannot forge the nonce.
 *
 * @example stringifyWithBigIntegers({ seed: 18446744073709551615n }) // → '{"seed":18446744073709551615}'
 */
export function stringifyWithBigIntegers(value: unknown): string {
  const nonce = Math.random().toString(36).slice(2, 12);
  const marker = `@bigint-${nonce}:`;
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v.toString()}` : v));
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}

/** A decimal seed as a number when it is exact as one, else as a bigint (written exact by stringifyWithBigIntegers). */
export function seedValue(seed: string): number | bigint {
  const n = Number(seed);
  return Number.isSafeInteger(n) ? n : BigInt(seed);
}
