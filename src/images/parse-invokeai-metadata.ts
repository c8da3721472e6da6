import { asRecord, toCount, toFiniteNumber, toSeedString, toText } from './coerce-value.js';
import { emptyGenerationMetadata, type GenerationMetadata } from './generation-metadata.js';
import { parseJsonKeepingBigIntegers } from './parse-json-keeping-big-integers.js';

/**
 * Reads InvokeAI's `invokeai_metadata` chunk (JSON, InvokeAI 3+): positive_prompt, negative_prompt,
 * width, height, seed, cfg_scale, guidance (FLUX), steps, the sampler under `scheduler`, and the model
 * as an object `{ model_name }` (or `{ name }` in 4+) with an optional `hash`. Also accepts the older
 * `sd-metadata` layout (InvokeAI 2: `{ model_weights, image: { prompt: [{ prompt }], sampler, … } }`).
 * Returns null when the text is not a JSON object. Cost: O(text length).
 *
 * @example parseInvokeAiMetadata('{"steps":35,"scheduler":"euler","model":{"model_name":"juggernautXL"}}')
 * // → { tool: 'invokeai', steps: 35, sampler: 'euler', model: 'juggernautXL', … }
 */
export function parseInvokeAiMetadata(json: string): GenerationMetadata | null {
  const data = asRecord(parseJsonKeepingBigIntegers(json));
  if (data === null) return null;
  const legacyImage = asRecord(data.image);
  const source = legacyImage ?? data;

  const metadata = emptyGenerationMetadata('invokeai');
  metadata.steps = toCount(source.steps);
  metadata.sampler = toText(source.scheduler) ?? toText(source.sampler);
  metadata.seed = toSeedString(source.seed);
  metadata.cfg = toFiniteNumber(source.cfg_scale);
  metadata.guidance = toFiniteNumber(source.guidance);
  metadata.width = toCount(source.width);
  metadata.height = toCount(source.height);

  const model = asRecord(data.model);
  metadata.model = toText(model?.model_name) ?? toText(model?.name) ?? toText(data.model) ?? toText(data.model_weights);
  metadata.modelHash = toText(model?.hash) ?? toText(data.model_hash);

  if (legacyImage !== null) {
    const prompts = Array.isArray(legacyImage.prompt) ? legacyImage.prompt : [];
    metadata.prompt = toText(asRecord(prompts[0])?.prompt) ?? toText(legacyImage.prompt);
  } else {
    metadata.prompt = toText(data.positive_prompt);
    metadata.negativePrompt = toText(data.negative_prompt);
  }
  return metadata;
}
