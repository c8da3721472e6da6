import { seedValue } from './json-with-big-integers.js';

/** One node of an API-format workflow (ComfyUI's "Export (API)"): `{ class_type, inputs, _meta? }`. */
export interface ApiNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

/** An API-format workflow: node id → node. */
export type ApiWorkflow = Record<string, ApiNode>;

/** Where one setting lives in the workflow: a node, one of its inputs, and the value found there. */
export interface InputRef {
  node: string;
  classType: string;
  input: string;
  value: string | number;
}

/**
 * Where sweetspot found each setting in a workflow. `steps` is always there (a workflow without a
 * sampler cannot be mapped); the others are null when the workflow has no such input (a FLUX workflow
 * has no negative prompt). `notes` say what was chosen where there was a choice.
 */
export interface WorkflowMapping {
  sampler: { node: string; classType: string };
  steps: InputRef;
  seed: InputRef | null;
  samplerName: InputRef | null;
  guidance: InputRef | null;
  width: InputRef | null;
  height: InputRef | null;
  checkpoint: InputRef | null;
  prompt: InputRef | null;
  negativePrompt: InputRef | null;
  notes: string[];
}

/** A workflow that cannot be used, with the reason in the user's words. */
export class WorkflowError extends Error {
  override name = 'WorkflowError';
}

/** The sampling nodes of ComfyUI's core (nodes.py, comfy_extras/nodes_custom_sampler.py). */
const SAMPLERS = ['KSampler', 'KSamplerAdvanced', 'SamplerCustom', 'SamplerCustomAdvanced'];
/** Inputs that carry the negative prompt: never followed when looking for the positive one. */
const NEGATIVE_INPUTS = new Set(['negative']);
/** Nodes a workflow may hold at most; a real one has tens. */
const MAX_NODES = 5000;

type Link = [string, number];

function isLink(value: unknown): value is Link {
  return Array.isArray(value) && value.length === 2 && (typeof value[0] === 'string' || typeof value[0] === 'number') && typeof value[1] === 'number';
}

function isLiteral(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Checks that `value` is an API-format workflow and returns it typed. The UI format (the default
 * "Save", with `nodes` and `links` arrays) is refused with the way to get the API format.
 */
export function parseApiWorkflow(value: unknown): ApiWorkflow {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WorkflowError('The workflow must be a JSON object: the file ComfyUI writes with "Export (API)"');
  }
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.nodes) && Array.isArray(record.links)) {
    throw new WorkflowError('This is the workflow as the ComfyUI editor saves it, not the API format: in ComfyUI use Workflow → Export (API) and send that file');
  }
  const entries = Object.entries(record);
  if (entries.length === 0) throw new WorkflowError('The workflow has no nodes');
  if (entries.length > MAX_NODES) throw new WorkflowError(`The workflow has ${entries.length} nodes; at most ${MAX_NODES} are accepted`);
  for (const [id, node] of entries) {
    const n = node as Partial<ApiNode> | null;
    if (n === null || typeof n !== 'object' || typeof n.class_type !== 'string' || n.inputs === null || typeof n.inputs !== 'object' || Array.isArray(n.inputs)) {
      throw new WorkflowError(`Node "${id.slice(0, 40)}" of the workflow has no class_type and inputs: is this the file "Export (API)" writes?`);
    }
  }
  return record as ApiWorkflow;
}

/** Node ids upstream of `start` (nearest first), following links except through inputs named in `skip`. */
function upstream(workflow: ApiWorkflow, start: string, skip: ReadonlySet<string> = new Set()): string[] {
  const seen = new Set([start]);
  const order: string[] = [];
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const [name, value] of Object.entries(workflow[id]?.inputs ?? {})) {
      if (skip.has(name) || !isLink(value)) continue;
      const source = String(value[0]);
      if (seen.has(source) || workflow[source] === undefined) continue;
      seen.add(source);
      order.push(source);
      queue.push(source);
    }
  }
  return order;
}

function ref(workflow: ApiWorkflow, node: string, input: string): InputRef | null {
  const value = workflow[node]?.inputs[input];
  return isLiteral(value) ? { node, classType: workflow[node]!.class_type, input, value } : null;
}

/**
 * The literal behind `node.input`: the input itself when it holds a value, else, when it is a link
 * (a widget converted to an input, fed by a primitive or seed node), the linked node's value input.
 */
function literalOf(workflow: ApiWorkflow, node: string, input: string): InputRef | null {
  const direct = ref(workflow, node, input);
  if (direct) return direct;
  const value = workflow[node]?.inputs[input];
  if (!isLink(value)) return null;
  const source = String(value[0]);
  for (const name of [input, 'value', 'seed', 'noise_seed', 'int']) {
    const found = ref(workflow, source, name);
    if (found) return found;
  }
  return null;
}

/** The first node in `ids` with a literal value in one of `inputs` (of the wanted type). */
function firstWith(workflow: ApiWorkflow, ids: readonly string[], inputs: readonly string[], type: 'number' | 'string', classFilter?: (classType: string) => boolean): InputRef | null {
  for (const id of ids) {
    if (classFilter && !classFilter(workflow[id]!.class_type)) continue;
    for (const input of inputs) {
      const found = ref(workflow, id, input);
      if (found && typeof found.value === type) return found;
    }
  }
  return null;
}

function byNumericId(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a.localeCompare(b);
}

/** The sampler to drive: the one fed by an empty latent (the first pass of a hires-fix workflow), else the lowest id. */
function chooseSampler(workflow: ApiWorkflow, notes: string[]): string {
  const samplers = Object.keys(workflow)
    .filter((id) => SAMPLERS.includes(workflow[id]!.class_type))
    .sort(byNumericId);
  if (samplers.length === 0) {
    throw new WorkflowError(`The workflow has no sampler node (one of ${SAMPLERS.join(', ')}), so sweetspot cannot set its steps`);
  }
  if (samplers.length === 1) return samplers[0]!;
  const fromEmptyLatent = samplers.find((id) => upstream(workflow, id).some((up) => /^Empty.*Latent/.test(workflow[up]!.class_type)));
  const chosen = fromEmptyLatent ?? samplers[0]!;
  notes.push(
    `The workflow has ${samplers.length} samplers (nodes ${samplers.join(', ')}); sweetspot sets the steps of node ${chosen} (${workflow[chosen]!.class_type}), ` +
      (fromEmptyLatent ? 'the one that starts from an empty latent' : 'the first'),
  );
  return chosen;
}

/**
 * Finds where the steps, seed, sampler, guidance, size, checkpoint and prompts live in an API-format
 * workflow, starting from its sampler and walking the links upstream (nearest node first):
 * - steps: the sampler's `steps` (KSampler, KSamplerAdvanced), else a scheduler's (BasicScheduler…);
 * - seed: the sampler's `seed` / `noise_seed` (or the node a converted widget links to), else RandomNoise's;
 * - sampler name: the sampler's `sampler_name`, else KSamplerSelect's;
 * - guidance: FluxGuidance's `guidance`, else the sampler's or CFGGuider's `cfg`;
 * - size: an Empty…Latent… node's `width` / `height` (EmptyLatentImage, EmptySD3LatentImage);
 * - checkpoint: `ckpt_name` (CheckpointLoaderSimple) or `unet_name` (UNETLoader);
 * - prompts: the `text` reached through the positive links, and through `negative`.
 * Throws a WorkflowError when there is no sampler or its steps cannot be found.
 *
 * @example mapWorkflow({ '3': { class_type: 'KSampler', inputs: { steps: 20, seed: 42, cfg: 7, sampler_name: 'euler' } } }).steps
 * // → { node: '3', classType: 'KSampler', input: 'steps', value: 20 }
 */
export function mapWorkflow(workflow: ApiWorkflow): WorkflowMapping {
  const notes: string[] = [];
  const sampler = chooseSampler(workflow, notes);
  const classType = workflow[sampler]!.class_type;
  const above = upstream(workflow, sampler);
  const steps = literalOf(workflow, sampler, 'steps') ?? firstWith(workflow, above, ['steps'], 'number');
  if (steps === null || typeof steps.value !== 'number') {
    throw new WorkflowError(`The sampler (node ${sampler}, ${classType}) has no steps that sweetspot can set: give it a scheduler with a steps value (e.g. BasicScheduler)`);
  }
  const seed = literalOf(workflow, sampler, 'seed') ?? literalOf(workflow, sampler, 'noise_seed') ?? firstWith(workflow, above, ['noise_seed', 'seed'], 'number');
  const samplerName = ref(workflow, sampler, 'sampler_name') ?? firstWith(workflow, above, ['sampler_name'], 'string');
  const guidance = firstWith(workflow, above, ['guidance'], 'number', (c) => c === 'FluxGuidance') ?? ref(workflow, sampler, 'cfg') ?? firstWith(workflow, above, ['cfg'], 'number');
  const latent = (c: string) => /Latent/.test(c);
  const width = firstWith(workflow, above, ['width'], 'number', latent);
  const height = width ? ref(workflow, width.node, 'height') : null;
  const checkpoint = firstWith(workflow, above, ['ckpt_name', 'unet_name'], 'string');
  const prompt = firstWith(workflow, upstream(workflow, sampler, NEGATIVE_INPUTS), ['text'], 'string');
  const negativeLink = workflow[sampler]!.inputs.negative;
  const negativeStart = isLink(negativeLink) ? String(negativeLink[0]) : null;
  const negativePrompt = negativeStart !== null && workflow[negativeStart] ? firstWith(workflow, [negativeStart, ...upstream(workflow, negativeStart)], ['text'], 'string') : null;
  if (seed === null) notes.push('No seed input was found: every render of a step count will use the workflow as it is');
  return { sampler: { node: sampler, classType }, steps, seed, samplerName, guidance, width, height, checkpoint, prompt, negativePrompt, notes };
}

/** The values a render puts into the workflow; null leaves the workflow's own. */
export interface WorkflowPatch {
  steps: number;
  seed: string | null;
  prompt: string | null;
  negativePrompt: string | null;
}

/**
 * A copy of the workflow with the planned steps, seed and prompts written where the mapping found
 * them (the original is left untouched). A seed beyond 2^53 becomes a bigint, which
 * stringifyWithBigIntegers writes exact.
 */
export function patchWorkflow(workflow: ApiWorkflow, mapping: WorkflowMapping, patch: WorkflowPatch): Record<string, ApiNode> {
  const copy = structuredClone(workflow);
  const set = (at: InputRef | null, value: unknown) => {
    if (at !== null && copy[at.node]) copy[at.node]!.inputs[at.input] = value;
  };
  set(mapping.steps, patch.steps);
  if (patch.seed !== null) set(mapping.seed, seedValue(patch.seed));
  if (patch.prompt !== null) set(mapping.prompt, patch.prompt);
  if (patch.negativePrompt !== null) set(mapping.negativePrompt, patch.negativePrompt);
  return copy;
}
