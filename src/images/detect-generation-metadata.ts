import { asRecord, isRandomSeed } from './coerce-value.js';
import type { GenerationMetadata } from './generation-metadata.js';
import { parseA1111Parameters } from './parse-a1111-parameters.js';
import { parseComfyUiPrompt, readComfyGraph, toComfyGraph } from './parse-comfyui-prompt.js';
import { parseComfyUiWorkflow } from './parse-comfyui-workflow.js';
import { parseFooocusParameters } from './parse-fooocus-parameters.js';
import { parseGenericJson } from './parse-generic-json.js';
import { parseInvokeAiMetadata } from './parse-invokeai-metadata.js';
import { parseJsonKeepingBigIntegers } from './parse-json-keeping-big-integers.js';
import { parseNovelAiComment } from './parse-novelai-comment.js';
import { parseSwarmUiParams } from './parse-swarmui-params.js';

/** Text fields that may hold A1111 infotext or a tool's JSON, in order of trust. */
const PARAMETER_KEYS = ['parameters', 'UserComment', 'XPComment', 'ImageDescription', 'JPEG comment', 'Comment', 'Description'];

/**
 * Finds generation settings among the text fields of one file (PNG text chunks by keyword, EXIF
 * fields by tag name), whatever tool wrote them. Every recognised layout becomes a candidate, in
 * this order: InvokeAI (`invokeai_metadata`, `sd-metadata`), NovelAI (`Comment` JSON with
 * `Software: NovelAI` or a `Source`), the `parameters`-like fields (Fooocus JSON flagged by
 * `fooocus_scheme` or by its keys, SwarmUI `sui_image_params`, A1111/Forge infotext, a ComfyUI graph,
 * other JSON with the usual keys), then ComfyUI `prompt` and `workflow`. The first candidate is the
 * result; any setting it lacks is taken from the later ones. A seed of -1 (random) is never
 * reported: the real seed is looked for in the other candidates, else the seed is null.
 *
 * Returns null when no field holds recognised settings. The same text under several keys is parsed
 * once. Throws only `MetadataError('too-many-chunks')`, for a ComfyUI graph over its node or step cap
 * (see `readComfyGraph`). Cost: O(total text length).
 *
 * @example detectGenerationMetadata({ parameters: 'a duck\nSteps: 15, Sampler: UniPC, Seed: 1' })?.tool // → 'a1111'
 */
export function detectGenerationMetadata(texts: Readonly<Record<string, string>>): GenerationMetadata | null {
  const candidates: GenerationMetadata[] = [];
  const add = (metadata: GenerationMetadata | null): void => {
    if (metadata !== null) candidates.push(metadata);
  };
  const text = (key: string): string | undefined => (Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : undefined);

  const invoke = text('invokeai_metadata') ?? text('sd-metadata');
  if (invoke !== undefined) add(parseInvokeAiMetadata(invoke));

  const comment = text('Comment');
  if (comment !== undefined && (text('Software') === 'NovelAI' || text('Source') !== undefined)) {
    add(parseNovelAiComment({ comment, description: text('Description'), source: text('Source') }));
  }

  const fooocusScheme = text('fooocus_scheme')?.trim().toLowerCase();
  // A file may repeat one big graph under every parameters-like key: each distinct text is read once.
  const seen = new Map<string, GenerationMetadata | null>();
  for (const key of PARAMETER_KEYS) {
    const value = text(key);
    if (value === undefined) continue;
    const scheme = key === 'parameters' ? fooocusScheme : undefined;
    const memo = `${scheme ?? ''}\u0000${value}`;
    if (seen.has(memo)) continue; // the same settings again add nothing to the merge
    const parsed = parseParametersText(value, scheme);
    seen.set(memo, parsed);
    add(parsed);
  }
  const sui = text('sui_image_params');
  if (sui !== undefined) add(parseSwarmUiParams(`{"sui_image_params": ${sui}}`));

  const prompt = text('prompt');
  if (prompt !== undefined && !seen.has(`\u0000${prompt}`)) add(parseComfyUiPrompt(prompt));
  const workflow = text('workflow');
  if (workflow !== undefined) add(parseComfyUiWorkflow(workflow));

  return mergeCandidates(candidates);
}

/** A `parameters`-like text: one of the JSON layouts, or A1111 infotext. */
function parseParametersText(value: string, fooocusScheme: string | undefined): GenerationMetadata | null {
  if (fooocusScheme === 'a1111') return parseA1111Parameters(value, 'fooocus');
  if (fooocusScheme === 'fooocus') return parseFooocusParameters(value);
  const trimmed = value.trimStart();
  if (!trimmed.startsWith('{')) return parseA1111Parameters(value);
  const data = asRecord(parseJsonKeepingBigIntegers(trimmed));
  if (data === null) return parseA1111Parameters(value);
  if ('sui_image_params' in data) return parseSwarmUiParams(trimmed);
  if ('full_prompt' in data || 'base_model' in data || 'guidance_scale' in data) return parseFooocusParameters(trimmed);
  const graph = toComfyGraph(data);
  if (graph !== null) return readComfyGraph(graph);
  return parseGenericJson(trimmed);
}

const FILLABLE_FIELDS = [
  'steps', 'sampler', 'scheduler', 'seed', 'cfg', 'guidance', 'width', 'height', 'model', 'modelHash', 'prompt', 'negativePrompt',
] as const;
type FillableField = (typeof FILLABLE_FIELDS)[number];

function fillMissing<K extends FillableField>(target: GenerationMetadata, source: GenerationMetadata, field: K): void {
  if (target[field] === null) target[field] = source[field];
}

function mergeCandidates(candidates: GenerationMetadata[]): GenerationMetadata | null {
  for (const candidate of candidates) {
    if (isRandomSeed(candidate.seed)) candidate.seed = null;
    for (const pass of candidate.otherSamplers) if (isRandomSeed(pass.seed)) pass.seed = null;
  }
  const [main, ...rest] = candidates;
  if (main === undefined) return null;
  const merged: GenerationMetadata = { ...main, otherSamplers: [...main.otherSamplers] };
  for (const other of rest) {
    for (const field of FILLABLE_FIELDS) fillMissing(merged, other, field);
  }
  return merged;
}
