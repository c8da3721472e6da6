/**
 * The CRC-32 lookup table (ISO 3309 / ITU-T V.42 polynomial 0xEDB88320, reflected), built once:
 * entry n is the CRC of the single byte n, so the checksum runs one table look-up per byte.
 */
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `bytes[start, end)`, as PNG stores it after each chunk (computed over the chunk
 * type and data). Reference: PNG specification, annex D. Cost: O(end − start). Never throws;
 * out-of-range bounds are clamped to the array.
 *
 * @example crc32(new TextEncoder().encode('IEND')) // → 0xae426082
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const stop = Math.min(end, bytes.length);
  let c = 0xffffffff;
  for (let i = Math.max(0, start); i < stop; i++) {
    c = (CRC_TABLE[(c ^ bytes[i]!) & 0xff] ?? 0) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}
