import { asRecord, isRandomSeed, toCount, toFiniteNumber, toSeedString, toText } from './coerce-value.js';
import { emptyGenerationMetadata, type GenerationMetadata, type SamplerPass } from './generation-metadata.js';
import { MetadataError } from './metadata-error.js';
import { parseJsonKeepingBigIntegers } from './parse-json-keeping-big-integers.js';

/** One node of a ComfyUI API graph: `{ class_type, inputs }`, inputs being literals or links. */
export interface ComfyNode {
  classType: string;
  inputs: Record<string, unknown>;
}

/** A ComfyUI API graph: node id (always a string here) → node. */
export type ComfyGraph = Map<string, ComfyNode>;

const SAMPLER_CLASSES = new Set(['KSampler', 'KSamplerAdvanced', 'SamplerCustom', 'SamplerCustomAdvanced']);
const EMPTY_LATENT = /^Empty.*Latent/;

/** The four core sampler nodes, and custom ones named like KSampler ("KSampler (Efficient)"), not KSamplerSelect. */
function isSamplerNode(node: ComfyNode): boolean {
  return SAMPLER_CLASSES.has(node.classType) || /^KSampler(?!Select)/.test(node.classType);
}
/** How far a chain of links is followed; real graphs are a few nodes deep, cycles would be infinite. */
const MAX_DEPTH = 64;

/** Nodes a graph may have; real workflows have tens to a few hundred. */
export const MAX_GRAPH_NODES = 1_000;

/**
 * Node visits and link steps one graph may cost to read. A real graph costs a few thousand; the cap
 * keeps a hostile one (a chain of 1,000 samplers, each walking back through all the others) to a
 * few tens of milliseconds, whatever its shape.
 */
export const MAX_GRAPH_STEPS = 500_000;

/** The refusal of a graph over the node cap. */
export function tooManyNodes(count: number): MetadataError {
  return new MetadataError(
    'too-many-chunks',
    `The ComfyUI graph in this file has ${count.toLocaleString('en-US')} nodes, over the limit of ${MAX_GRAPH_NODES.toLocaleString('en-US')}; the file was rejected.`,
  );
}

/**
 * One reading of a graph: every node lookup and link step is paid from a fixed budget, and each
 * value-provider node's literal is resolved once. Throws `MetadataError('too-many-chunks')` when the
 * budget runs out.
 */
class GraphWalk {
  private steps = 0;
  readonly literals = new Map<string, unknown>();
  private readonly inputCounts = new Map<string, number>();

  constructor(readonly graph: ComfyGraph) {}

  /** Pays for `count` steps. */
  spend(count = 1): void {
    this.steps += count;
    if (this.steps > MAX_GRAPH_STEPS) {
      throw new MetadataError(
        'too-many-chunks',
        `The ComfyUI graph in this file takes more than ${MAX_GRAPH_STEPS.toLocaleString('en-US')} link steps to read, the limit; the file was rejected.`,
      );
    }
  }

  /** A node by id; a visit costs one step plus one per input (a visit may go through them all). */
  node(id: string): ComfyNode | undefined {
    const node = this.graph.get(id);
    if (node === undefined) {
      this.spend();
      return undefined;
    }
    let size = this.inputCounts.get(id);
    if (size === undefined) {
      size = Object.keys(node.inputs).length;
      this.inputCounts.set(id, size);
    }
    this.spend(1 + size);
    return node;
  }
}

/**
 * Reads the settings of a ComfyUI `prompt` chunk (the executed API graph, JSON: node id →
 * `{ class_type, inputs }`, links as `[nodeId, outputIndex]`). Big seeds stay exact.
 *
 * Returns null when the text is not such a graph or has no sampler node. See `readComfyGraph`.
 *
 * @example parseComfyUiPrompt(texts.prompt)?.steps // → 20
 */
export function parseComfyUiPrompt(json: string): GenerationMetadata | null {
  const graph = toComfyGraph(parseJsonKeepingBigIntegers(json));
  return graph === null ? null : readComfyGraph(graph);
}

/**
 * A graph from parsed JSON, or null when the value does not look like a ComfyUI API graph (an object
 * whose values have a string `class_type` and an object `inputs`). Throws `MetadataError('too-many-chunks')`
 * for more than `MAX_GRAPH_NODES` nodes.
 *
 * @example toComfyGraph({ '3': { class_type: 'KSampler', inputs: {} } })?.size // → 1
 */
export function toComfyGraph(value: unknown): ComfyGraph | null {
  const record = asRecord(value);
  if (record === null) return null;
  const entries = Object.entries(record);
  const graph: ComfyGraph = new Map();
  for (const [id, raw] of entries) {
    const node = asRecord(raw);
    if (node === null || typeof node.class_type !== 'string') continue;
    graph.set(id, { classType: node.class_type, inputs: asRecord(node.inputs) ?? {} });
    if (graph.size > MAX_GRAPH_NODES) throw tooManyNodes(entries.length);
  }
  return graph.size === 0 ? null : graph;
}

interface SamplerReading {
  id: string;
  pass: SamplerPass;
  scheduler: string | null;
  guidance: number | null;
  model: string | null;
  width: number | null;
  height: number | null;
  prompt: string | null;
  negativePrompt: string | null;
  /** Samplers upstream of this one through its latent input: 0 for a first pass. */
  upstreamSamplers: number;
  fromEmptyLatent: boolean;
}

/**
 * Reads generation settings from a ComfyUI API graph. Finds the sampler nodes (KSampler,
 * KSamplerAdvanced, SamplerCustom, SamplerCustomAdvanced, and look-alikes whose class starts with
 * "KSampler", except KSamplerSelect) and follows their links: seed (literal, RandomNoise.noise_seed or a seed node), steps
 * and scheduler (literal or BasicScheduler-like node behind `sigmas`), sampler (literal or
 * KSamplerSelect), cfg (literal or CFGGuider; none for BasicGuider), guidance (FluxGuidance on the
 * positive conditioning), model (back through LoRA / patch nodes to CheckpointLoaderSimple,
 * CheckpointLoader, UNETLoader or any loader with a ckpt/unet/model name), size (the empty latent
 * the latent input comes from) and prompts (the text encoders feeding positive and negative).
 *
 * The main sampler is the first pass: fewest samplers upstream of its latent, fed by an empty
 * latent, highest denoise, lowest id; the others go to `otherSamplers` in the same order.
 * Returns null when the graph has no sampler. Cost: O(samplers × depth of their input chains), and
 * never more than `MAX_GRAPH_STEPS` node visits: past that, or past `MAX_GRAPH_NODES` nodes, it throws
 * `MetadataError('too-many-chunks')`, which refuses the file.
 *
 * @example readComfyGraph(graph)?.model // → 'flux1-dev.safetensors'
 */
export function readComfyGraph(graph: ComfyGraph): GenerationMetadata | null {
  if (graph.size > MAX_GRAPH_NODES) throw tooManyNodes(graph.size);
  const walk = new GraphWalk(graph);
  const readings: SamplerReading[] = [];
  for (const [id, node] of graph) {
    if (isSamplerNode(node)) {
      readings.push(readSampler(walk, id, node));
    }
  }
  if (readings.length === 0) return null;
  readings.sort(
    (a, b) =>
      a.upstreamSamplers - b.upstreamSamplers ||
      Number(b.fromEmptyLatent) - Number(a.fromEmptyLatent) ||
      (b.pass.denoise ?? 1) - (a.pass.denoise ?? 1) ||
      compareIds(a.id, b.id),
  );
  const [main, ...others] = readings as [SamplerReading, ...SamplerReading[]];
  const metadata = emptyGenerationMetadata('comfyui');
  metadata.steps = main.pass.steps;
  metadata.sampler = main.pass.sampler;
  metadata.scheduler = main.scheduler;
  metadata.seed = main.pass.seed;
  metadata.cfg = main.pass.cfg;
  metadata.guidance = main.guidance;
  metadata.model = main.model ?? others.find((r) => r.model !== null)?.model ?? null;
  metadata.width = main.width;
  metadata.height = main.height;
  metadata.prompt = main.prompt ?? others.find((r) => r.prompt !== null)?.prompt ?? null;
  metadata.negativePrompt = main.negativePrompt;
  metadata.otherSamplers = others.map((r) => r.pass);
  return metadata;
}

function compareIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function readSampler(walk: GraphWalk, id: string, node: ComfyNode): SamplerReading {
  const inputs = node.inputs;
  const guider = linkedNode(walk, inputs.guider);
  const sigmasNode = findUpstream(walk, inputs.sigmas, (n) => 'steps' in n.inputs || /Scheduler$/.test(n.classType), ['sigmas']);
  const positiveSource = inputs.positive ?? guider?.inputs.positive ?? guider?.inputs.conditioning ?? guider?.inputs.cond1;
  const negativeSource = inputs.negative ?? guider?.inputs.negative ?? guider?.inputs.cond2;
  const modelSource = inputs.model ?? guider?.inputs.model ?? sigmasNode?.inputs.model;

  let seed = resolveSeed(walk, inputs.seed ?? inputs.noise_seed);
  if (seed === null && inputs.noise !== undefined) {
    const noise = findUpstream(walk, inputs.noise, (n) => 'noise_seed' in n.inputs || 'seed' in n.inputs);
    seed = noise === null ? null : resolveSeed(walk, noise.inputs.noise_seed ?? noise.inputs.seed);
  }

  const steps = resolveCount(walk, inputs.steps) ?? (sigmasNode === null ? null : resolveCount(walk, sigmasNode.inputs.steps));
  let scheduler = resolveText(walk, inputs.scheduler);
  if (scheduler === null && sigmasNode !== null) {
    scheduler =
      resolveText(walk, sigmasNode.inputs.scheduler) ??
      (/Scheduler$/.test(sigmasNode.classType) ? sigmasNode.classType.replace(/Scheduler$/, '').toLowerCase() : null);
  }
  let sampler = resolveText(walk, inputs.sampler_name);
  if (sampler === null && inputs.sampler !== undefined) {
    const select = findUpstream(walk, inputs.sampler, (n) => 'sampler_name' in n.inputs);
    sampler = select === null ? null : resolveText(walk, select.inputs.sampler_name);
  }

  const cfg = resolveNumber(walk, inputs.cfg) ?? (guider === null ? null : resolveNumber(walk, guider.inputs.cfg ?? guider.inputs.cfg_conds));
  let denoise = resolveNumber(walk, inputs.denoise) ?? (sigmasNode === null ? null : resolveNumber(walk, sigmasNode.inputs.denoise));
  if (denoise === null && node.classType === 'KSamplerAdvanced') {
    const start = resolveCount(walk, inputs.start_at_step);
    if (start === 0) denoise = 1;
  }

  const guidanceNode = findUpstream(walk, positiveSource, (n) => n.classType === 'FluxGuidance' || ('guidance' in n.inputs && isConditioningNode(n)));
  const latent = readLatent(walk, inputs.latent_image);

  return {
    id,
    pass: { steps, sampler, seed, cfg, denoise },
    scheduler,
    guidance: guidanceNode === null ? null : resolveNumber(walk, guidanceNode.inputs.guidance),
    model: findModelName(walk, modelSource),
    width: latent.width,
    height: latent.height,
    prompt: findPromptText(walk, positiveSource),
    negativePrompt: findPromptText(walk, negativeSource),
    upstreamSamplers: latent.upstreamSamplers,
    fromEmptyLatent: latent.fromEmptyLatent,
  };
}

function isConditioningNode(node: ComfyNode): boolean {
  return 'conditioning' in node.inputs || /Encode|Conditioning/.test(node.classType);
}

/** True for `[nodeId, outputIndex]` (ids may be numbers or strings). */
function isLink(value: unknown): value is [string | number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    (typeof value[0] === 'string' || typeof value[0] === 'number') &&
    typeof value[1] === 'number'
  );
}

function linkedNode(walk: GraphWalk, value: unknown): ComfyNode | null {
  return isLink(value) ? walk.node(String(value[0])) ?? null : null;
}

/** Literal keys that hold a primitive value in value-provider nodes (seed nodes, primitives, strings). */
const VALUE_KEYS = ['value', 'seed', 'noise_seed', 'int', 'number', 'Number', 'string', 'text', 'float'];

/** The literal behind a value: itself, or what the linked value-provider node holds. */
function resolveLiteral(walk: GraphWalk, value: unknown, depth = 0): unknown {
  if (!isLink(value)) return value;
  if (depth > MAX_DEPTH) return undefined;
  const id = String(value[0]);
  if (walk.literals.has(id)) return walk.literals.get(id);
  const node = walk.node(id);
  let literal: unknown = undefined;
  if (node !== undefined) {
    const key = VALUE_KEYS.find((k) => k in node.inputs);
    if (key !== undefined) literal = resolveLiteral(walk, node.inputs[key], depth + 1);
  }
  // Once per node: a prompt search asks every encoder upstream for its text, sampler after sampler.
  walk.literals.set(id, literal);
  return literal;
}

function resolveSeed(walk: GraphWalk, value: unknown): string | null {
  const seed = toSeedString(resolveLiteral(walk, value));
  return isRandomSeed(seed) ? null : seed;
}
function resolveCount(walk: GraphWalk, value: unknown): number | null {
  return toCount(resolveLiteral(walk, value));
}
function resolveNumber(walk: GraphWalk, value: unknown): number | null {
  return toFiniteNumber(resolveLiteral(walk, value));
}
function resolveText(walk: GraphWalk, value: unknown): string | null {
  const literal = resolveLiteral(walk, value);
  return typeof literal === 'string' ? toText(literal) : null;
}

/**
 * Breadth-first search upstream from a link for the first node that matches. With `via`, only
 * inputs of those names are followed; otherwise every linked input is.
 */
function findUpstream(
  walk: GraphWalk,
  start: unknown,
  matches: (node: ComfyNode) => boolean,
  via?: readonly string[],
): ComfyNode | null {
  if (!isLink(start)) return null;
  const queue: string[] = [String(start[0])];
  const seen = new Set<string>(queue);
  for (let i = 0; i < queue.length && i < 4 * MAX_DEPTH; i++) {
    const node = walk.node(queue[i] ?? '');
    if (node === undefined) continue;
    if (matches(node)) return node;
    for (const [name, value] of Object.entries(node.inputs)) {
      if (via !== undefined && !via.includes(name)) continue;
      if (isLink(value) && !seen.has(String(value[0]))) {
        seen.add(String(value[0]));
        queue.push(String(value[0]));
      }
    }
  }
  return null;
}

const MODEL_NAME_KEYS = ['ckpt_name', 'unet_name', 'model_name', 'model_path', 'gguf_name'];

/** Follows a model input back through LoRA / patch nodes (their own `model` input) to a loader's file name. */
function findModelName(walk: GraphWalk, start: unknown): string | null {
  let current = start;
  for (let depth = 0; depth < MAX_DEPTH && isLink(current); depth++) {
    const node = walk.node(String(current[0]));
    if (node === undefined) return null;
    for (const key of MODEL_NAME_KEYS) {
      const name = resolveText(walk, node.inputs[key]);
      if (name !== null && /Loader|Checkpoint|Model/i.test(node.classType)) return name;
    }
    current = node.inputs.model ?? Object.values(node.inputs).find(isLink);
  }
  return null;
}

const TEXT_KEYS = ['text', 'text_g', 't5xxl', 'clip_l', 'text_l', 'prompt', 'positive', 'string'];

/** The text of the first text-encoder node found upstream of a conditioning input. */
function findPromptText(walk: GraphWalk, start: unknown): string | null {
  const encoder = findUpstream(walk, start, (n) => TEXT_KEYS.some((key) => resolveText(walk, n.inputs[key]) !== null));
  if (encoder === null) return null;
  for (const key of TEXT_KEYS) {
    const text = resolveText(walk, encoder.inputs[key]);
    if (text !== null) return text;
  }
  return null;
}

/** Size and provenance of a sampler's latent input: back through latent ops and earlier samplers. */
function readLatent(
  walk: GraphWalk,
  start: unknown,
): { width: number | null; height: number | null; upstreamSamplers: number; fromEmptyLatent: boolean } {
  let current = start;
  let upstreamSamplers = 0;
  let width: number | null = null;
  let height: number | null = null;
  for (let depth = 0; depth < MAX_DEPTH && isLink(current); depth++) {
    const node = walk.node(String(current[0]));
    if (node === undefined) break;
    if (isSamplerNode(node)) upstreamSamplers++;
    if (width === null && upstreamSamplers === 0) {
      const w = resolveCount(walk, node.inputs.width);
      const h = resolveCount(walk, node.inputs.height);
      if (w !== null && h !== null) {
        width = w;
        height = h;
      }
    }
    if (EMPTY_LATENT.test(node.classType)) {
      return { width, height, upstreamSamplers, fromEmptyLatent: upstreamSamplers === 0 };
    }
    current =
      node.inputs.latent_image ?? node.inputs.samples ?? node.inputs.latent ?? Object.values(node.inputs).find(isLink);
  }
  return { width, height, upstreamSamplers, fromEmptyLatent: false };
}
