/**
 * The parts of a checkpoint's file name that say how the weights were packed, not which model they
 * are: precision (fp8, fp16, bf16, fp8_e4m3fn), quantisation (Q8_0, Q4_K_S, nf4), a GGUF or
 * pruned/EMA build. `flux1-dev-fp8` and `flux1-dev-Q8_0.gguf` are FLUX.1 Dev packed differently —
 * close enough to match, but not the same file, so a match through them is shown for confirmation.
 */
const VARIANT_PARTS = [
  /^fp(8|16|32)(e4m3fn|e5m2)?(fast)?$/,
  /^bf16$/,
  /^q\d(\d|k[sml]?)?$/,
  /^nf4$/,
  /^gguf$/,
  /^int[48]$/,
  /^(pruned|emaonly|ema|full|fp8scaled|scaled|unet|transformer|model)$/,
];

/** Splits a normalised model file name (lower case, extension dropped) into words on separators. */
function words(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[\s_.\-]+/)
    .filter((w) => w !== '');
}

/**
 * The file name without its packing words, and the words dropped: "flux1-dev-q8_0" →
 * { base: "flux1-dev", variant: ["q8", "0"] } reads as "flux1-dev" with "Q8_0". Words are dropped
 * only from the end, so a model whose name merely contains "full" somewhere keeps it.
 *
 * @example stripCheckpointVariant('flux1-dev-fp8') // → { base: 'flux1 dev', variant: 'fp8' }
 */
export function stripCheckpointVariant(displayName: string): { base: string; variant: string | null } {
  const parts = words(displayName);
  // "q8_0" splits to "q8", "0": join a lone digit or k-suffix back to its quantisation word first.
  const merged: string[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (last !== undefined && /^q\d(k)?$/.test(last) && /^(\d|k|ks|km|kl|s|m|l)$/.test(part)) merged[merged.length - 1] = `${last}${part}`;
    else if (last !== undefined && /^fp8$/.test(last) && /^(e4m3fn|e5m2|scaled|fast)$/.test(part)) merged[merged.length - 1] = `${last}${part}`;
    else merged.push(part);
  }
  const dropped: string[] = [];
  while (merged.length > 1 && VARIANT_PARTS.some((re) => re.test(merged[merged.length - 1]!))) dropped.unshift(merged.pop()!);
  return { base: merged.join(' '), variant: dropped.length > 0 ? dropped.join(' ') : null };
}
