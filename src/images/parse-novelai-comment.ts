import { asRecord, toCount, toFiniteNumber, toSeedString, toText } from './coerce-value.js';
import { emptyGenerationMetadata, type GenerationMetadata } from './generation-metadata.js';
import { parseJsonKeepingBigIntegers } from './parse-json-keeping-big-integers.js';

/** The NovelAI text chunks this parser uses. */
export interface NovelAiTexts {
  /** JSON settings: steps, sampler, seed, scale (CFG), width, height, uc (negative prompt)… */
  comment: string;
  /** The prompt as shown to the user. */
  description: string | undefined;
  /** The model, e.g. "NovelAI Diffusion V4 4F6A…" or "Stable Diffusion XL C1E1DE52". */
  source: string | undefined;
}

/**
 * Reads NovelAI's PNG metadata: settings from the `Comment` JSON (CFG is `scale`, the negative
 * prompt `uc`, the scheduler `noise_schedule`), the model named only in `Source`, the prompt in
 * `Description` (else the Comment's `prompt`). Returns null when Comment is not a JSON object.
 * Cost: O(text length).
 *
 * @example parseNovelAiComment({ comment: '{"steps":28,"scale":5,"seed":1}', description: 'a cat', source: 'NovelAI Diffusion V4' })
 * // → { tool: 'novelai', steps: 28, cfg: 5, seed: '1', prompt: 'a cat', model: 'NovelAI Diffusion V4', … }
 */
export function parseNovelAiComment(texts: NovelAiTexts): GenerationMetadata | null {
  const data = asRecord(parseJsonKeepingBigIntegers(texts.comment));
  if (data === null) return null;
  const metadata = emptyGenerationMetadata('novelai');
  metadata.steps = toCount(data.steps);
  metadata.sampler = toText(data.sampler);
  metadata.scheduler = toText(data.noise_schedule);
  metadata.seed = toSeedString(data.seed);
  metadata.cfg = toFiniteNumber(data.scale);
  metadata.width = toCount(data.width);
  metadata.height = toCount(data.height);
  metadata.model = toText(texts.source);
  metadata.prompt = toText(texts.description) ?? toText(data.prompt);
  metadata.negativePrompt = toText(data.uc);
  return metadata;
}
