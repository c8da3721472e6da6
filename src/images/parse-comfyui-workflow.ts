import { asRecord } from './coerce-value.js';
import type { GenerationMetadata } from './generation-metadata.js';
import { MAX_GRAPH_NODES, readComfyGraph, tooManyNodes, type ComfyGraph, type ComfyNode } from './parse-comfyui-prompt.js';
import { parseJsonKeepingBigIntegers } from './parse-json-keeping-big-integers.js';

const CONTROL = '$control';
const CONTROL_VALUES = new Set(['fixed', 'increment', 'decrement', 'randomize']);

/**
 * Names of the widgets of common node types, in the order of `widgets_values`. `$control` stands
 * for the "control after generate" value the editor stores after a seed, when it is present.
 */
const WIDGET_NAMES: Readonly<Record<string, readonly string[]>> = {
  KSampler: ['seed', CONTROL, 'steps', 'cfg', 'sampler_name', 'scheduler', 'denoise'],
  KSamplerAdvanced: ['add_noise', 'noise_seed', CONTROL, 'steps', 'cfg', 'sampler_name', 'scheduler', 'start_at_step', 'end_at_step', 'return_with_leftover_noise'],
  SamplerCustom: ['add_noise', 'noise_seed', CONTROL, 'cfg'],
  RandomNoise: ['noise_seed', CONTROL],
  KSamplerSelect: ['sampler_name'],
  BasicScheduler: ['scheduler', 'steps', 'denoise'],
  KarrasScheduler: ['steps', 'sigma_max', 'sigma_min', 'rho'],
  ExponentialScheduler: ['steps', 'sigma_max', 'sigma_min'],
  SDTurboScheduler: ['steps', 'denoise'],
  AlignYourStepsScheduler: ['model_type', 'steps', 'denoise'],
  BetaSamplingScheduler: ['steps', 'alpha', 'beta'],
  CFGGuider: ['cfg'],
  FluxGuidance: ['guidance'],
  CheckpointLoaderSimple: ['ckpt_name'],
  CheckpointLoader: ['config_name', 'ckpt_name'],
  UNETLoader: ['unet_name', 'weight_dtype'],
  UnetLoaderGGUF: ['unet_name'],
  LoraLoader: ['lora_name', 'strength_model', 'strength_clip'],
  LoraLoaderModelOnly: ['lora_name', 'strength_model'],
  EmptyLatentImage: ['width', 'height', 'batch_size'],
  EmptySD3LatentImage: ['width', 'height', 'batch_size'],
  LatentUpscale: ['upscale_method', 'width', 'height', 'crop'],
  LatentUpscaleBy: ['upscale_method', 'scale_by'],
  CLIPTextEncode: ['text'],
  CLIPTextEncodeFlux: ['clip_l', 't5xxl', 'guidance'],
  CLIPTextEncodeSDXL: ['width', 'height', 'crop_w', 'crop_h', 'target_width', 'target_height', 'text_g', 'text_l'],
  ModelSamplingFlux: ['max_shift', 'base_shift', 'width', 'height'],
  PrimitiveNode: ['value', CONTROL],
  'Seed (rgthree)': ['seed'],
};

/** Editor node modes: 2 = muted (never runs), 4 = bypassed (passes its inputs through). */
const MODE_MUTED = 2;
const MODE_BYPASSED = 4;

interface WorkflowLink {
  originId: string;
  originSlot: number;
}

/**
 * Reads settings from a ComfyUI `workflow` chunk (the editor's graph), for files that lack the
 * `prompt` chunk: the editor graph is turned into an API-style graph — widget values named by
 * position for the common node types (KSampler, RandomNoise, BasicScheduler, loaders, latents,
 * text encoders, primitives…), links resolved through Reroute nodes, muted nodes dropped and
 * bypassed nodes kept only as pass-throughs — and then read like a `prompt` graph. Node types not
 * listed keep their links but not their widget values. Best effort: returns null when nothing
 * usable is found. Cost: O(nodes + links); throws `MetadataError('too-many-chunks')` past
 * `MAX_GRAPH_NODES` nodes or `MAX_GRAPH_STEPS` (see `readComfyGraph`).
 *
 * @example parseComfyUiWorkflow(texts.workflow)?.sampler // → 'euler'
 */
export function parseComfyUiWorkflow(json: string): GenerationMetadata | null {
  const workflow = asRecord(parseJsonKeepingBigIntegers(json));
  if (workflow === null || !Array.isArray(workflow.nodes)) return null;
  if (workflow.nodes.length > MAX_GRAPH_NODES) throw tooManyNodes(workflow.nodes.length);

  const links = new Map<string, WorkflowLink>();
  for (const raw of Array.isArray(workflow.links) ? workflow.links : []) {
    if (Array.isArray(raw) && raw.length >= 3) {
      links.set(String(raw[0]), { originId: String(raw[1]), originSlot: Number(raw[2]) || 0 });
    } else {
      const link = asRecord(raw);
      if (link !== null && link.id !== undefined) {
        links.set(String(link.id), { originId: String(link.origin_id), originSlot: Number(link.origin_slot) || 0 });
      }
    }
  }

  const nodes = new Map<string, Record<string, unknown>>();
  for (const raw of workflow.nodes) {
    const node = asRecord(raw);
    if (node !== null && node.id !== undefined && typeof node.type === 'string' && node.mode !== MODE_MUTED) {
      nodes.set(String(node.id), node);
    }
  }

  /** The real origin of a link, looking through Reroute nodes. */
  const resolveLink = (linkId: unknown): [string, number] | null => {
    let link = links.get(String(linkId));
    for (let hops = 0; link !== undefined && hops < 64; hops++) {
      const origin = nodes.get(link.originId);
      if (origin === undefined || origin.type !== 'Reroute') return [link.originId, link.originSlot];
      const input = Array.isArray(origin.inputs) ? asRecord(origin.inputs[0]) : null;
      link = input === null ? undefined : links.get(String(input.link));
    }
    return null;
  };

  const graph: ComfyGraph = new Map();
  for (const [id, node] of nodes) {
    const type = node.type as string;
    if (type === 'Reroute') continue;
    const inputs: Record<string, unknown> = {};
    const widgetValues = Array.isArray(node.widgets_values) ? (node.widgets_values as unknown[]) : [];
    const names = WIDGET_NAMES[type] ?? [];
    let position = 0;
    for (const name of names) {
      const value = widgetValues[position];
      if (name === CONTROL) {
        if (typeof value === 'string' && CONTROL_VALUES.has(value)) position++;
        continue;
      }
      if (position < widgetValues.length) inputs[name] = value;
      position++;
    }
    for (const rawInput of Array.isArray(node.inputs) ? node.inputs : []) {
      const input = asRecord(rawInput);
      if (input === null || typeof input.name !== 'string' || input.link === null || input.link === undefined) continue;
      const link = resolveLink(input.link);
      if (link !== null) inputs[input.name] = link;
    }
    const classType = node.mode === MODE_BYPASSED ? `Bypassed ${type}` : type;
    const comfyNode: ComfyNode = { classType, inputs };
    graph.set(id, comfyNode);
  }
  return graph.size === 0 ? null : readComfyGraph(graph);
}
