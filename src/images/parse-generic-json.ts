import { asRecord, toCount, toFiniteNumber, toSeedString, toText } from './coerce-value.js';
import { emptyGenerationMetadata, type GenerationMetadata } from './generation-metadata.js';
import { parseJsonKeepingBigIntegers } from './parse-json-keeping-big-integers.js';

function pick(data: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) if (data[key] !== undefined && data[key] !== null) return data[key];
  return undefined;
}

/**
 * Last resort for a JSON text from an unrecognised tool: reads the usual key names (steps,
 * sampler / sampler_name, scheduler, seed, cfg / cfg_scale / guidance_scale / scale, width, height,
 * model, prompt, negative_prompt) with `tool: 'unknown'`. Returns null unless the object has a step
 * count and at least a seed or a sampler, so arbitrary JSON is not taken for generation settings.
 * Cost: O(text length).
 *
 * @example parseGenericJson('{"steps": 8, "seed": 3}')?.tool // → 'unknown'
 */
export function parseGenericJson(json: string): GenerationMetadata | null {
  const data = asRecord(parseJsonKeepingBigIntegers(json));
  if (data === null) return null;
  const steps = toCount(data.steps);
  const seed = toSeedString(pick(data, ['seed', 'noise_seed']));
  const sampler = toText(pick(data, ['sampler', 'sampler_name']));
  if (steps === null || (seed === null && sampler === null)) return null;
  const metadata = emptyGenerationMetadata('unknown');
  metadata.steps = steps;
  metadata.seed = seed;
  metadata.sampler = sampler;
  metadata.scheduler = toText(data.scheduler);
  metadata.cfg = toFiniteNumber(pick(data, ['cfg', 'cfg_scale', 'cfgscale', 'guidance_scale', 'scale']));
  metadata.guidance = toFiniteNumber(data.guidance);
  metadata.width = toCount(data.width);
  metadata.height = toCount(data.height);
  const model = pick(data, ['model', 'model_name', 'checkpoint']);
  metadata.model = toText(asRecord(model)?.name) ?? toText(asRecord(model)?.model_name) ?? toText(model);
  metadata.prompt = toText(pick(data, ['prompt', 'positive_prompt']));
  metadata.negativePrompt = toText(pick(data, ['negative_prompt', 'negativePrompt', 'negative']));
  return metadata;
}
