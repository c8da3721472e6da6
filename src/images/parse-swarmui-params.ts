import { asRecord, toCount, toFiniteNumber, toSeedString, toText } from './coerce-value.js';
import { emptyGenerationMetadata, type GenerationMetadata } from './generation-metadata.js';
import { parseJsonKeepingBigIntegers } from './parse-json-keeping-big-integers.js';

/**
 * Reads SwarmUI's metadata: a JSON object with `sui_image_params` (found in the PNG `parameters`
 * chunk or the JPEG/WebP EXIF UserComment): prompt, negativeprompt, model, seed, steps, cfgscale,
 * fluxguidancescale, width, height, sampler, scheduler; the model hash from `sui_models` when listed.
 * Returns null when there is no `sui_image_params` object. Cost: O(text length).
 *
 * @example parseSwarmUiParams('{"sui_image_params": {"steps": 20, "cfgscale": 7, "seed": 697543491}}')
 * // → { tool: 'swarmui', steps: 20, cfg: 7, seed: '697543491', … }
 */
export function parseSwarmUiParams(json: string): GenerationMetadata | null {
  const data = asRecord(parseJsonKeepingBigIntegers(json));
  const params = asRecord(data?.sui_image_params);
  if (data === null || params === null) return null;
  const metadata = emptyGenerationMetadata('swarmui');
  metadata.prompt = toText(params.prompt);
  metadata.negativePrompt = toText(params.negativeprompt);
  metadata.model = toText(params.model);
  metadata.seed = toSeedString(params.seed);
  metadata.steps = toCount(params.steps);
  metadata.cfg = toFiniteNumber(params.cfgscale);
  metadata.guidance = toFiniteNumber(params.fluxguidancescale);
  metadata.width = toCount(params.width);
  metadata.height = toCount(params.height);
  metadata.sampler = toText(params.sampler);
  metadata.scheduler = toText(params.scheduler);
  const models = Array.isArray(data.sui_models) ? data.sui_models : [];
  const mainModel = models.map(asRecord).find((m) => m !== null && m.param === 'model');
  metadata.modelHash = toText(mainModel?.hash);
  return metadata;
}
