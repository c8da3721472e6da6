import { asRecord, toCount, toFiniteNumber, toSeedString, toText } from './coerce-value.js';
import { emptyGenerationMetadata, type GenerationMetadata } from './generation-metadata.js';
import { parseJsonKeepingBigIntegers } from './parse-json-keeping-big-integers.js';

/**
 * Reads Fooocus's `parameters` JSON (the "fooocus" metadata scheme, flagged by a `fooocus_scheme`
 * chunk): prompt, negative_prompt, steps, sampler, scheduler, seed (a string, often past 2^53,
 * kept exact), guidance_scale (= CFG), resolution "(w, h)", base_model and base_model_hash. Keys are
 * matched case-insensitively with spaces as underscores, so older label-style logs ("Guidance Scale",
 * "Base Model") read too. Returns null when the text is not a JSON object. Cost: O(text length).
 *
 * @example parseFooocusParameters('{"seed": "12345678901234567890", "steps": 30, "resolution": "(896, 1152)"}')
 * // → { tool: 'fooocus', seed: '12345678901234567890', steps: 30, width: 896, height: 1152, … }
 */
export function parseFooocusParameters(json: string): GenerationMetadata | null {
  const data = asRecord(parseJsonKeepingBigIntegers(json));
  if (data === null) return null;
  const fields = new Map<string, unknown>();
  for (const [key, value] of Object.entries(data)) {
    const normalised = key.trim().toLowerCase().replace(/[\s-]+/g, '_');
    if (!fields.has(normalised)) fields.set(normalised, value);
  }

  const metadata = emptyGenerationMetadata('fooocus');
  metadata.prompt = toText(fields.get('prompt'));
  metadata.negativePrompt = toText(fields.get('negative_prompt'));
  metadata.steps = toCount(fields.get('steps'));
  metadata.sampler = toText(fields.get('sampler'));
  metadata.scheduler = toText(fields.get('scheduler'));
  metadata.seed = toSeedString(fields.get('seed'));
  metadata.cfg = toFiniteNumber(fields.get('guidance_scale'));
  metadata.model = toText(fields.get('base_model'));
  metadata.modelHash = toText(fields.get('base_model_hash'));
  const resolution = /^\D*(\d+)\D+(\d+)\D*$/.exec(String(fields.get('resolution') ?? '').slice(0, 100));
  if (resolution !== null) {
    metadata.width = toCount(resolution[1]);
    metadata.height = toCount(resolution[2]);
  }
  return metadata;
}
