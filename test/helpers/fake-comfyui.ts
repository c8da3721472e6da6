import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { parseJsonKeepingBigIntegers } from '../../src/images/parse-json-keeping-big-integers.js';
import { stringifyWithBigIntegers } from '../../src/renderers/json-with-big-integers.js';
import {
  convergingPng,
  DEFAULT_CLOCK,
  pictureVariant,
  readBody,
  renderSize,
  reportedRenderMs,
  sendJson,
  sendText,
  sleepUnless,
  startFakeServer,
  type FakeServer,
  type RenderClock,
} from './fake-generator-server.js';

/**
 * A protocol-faithful fake of ComfyUI's HTTP API, written from comfyanonymous/ComfyUI:
 * - server.py (read at commit 005f3ba4ae, the route handlers in PromptServer.__init__: post_prompt,
 *   get_history, view_image, post_interrupt, post_queue, get_queue, get_prompt, system_stats, get_object_info): POST /prompt answers
 *   `{ prompt_id, number, node_errors }` or 400 `{ error, node_errors }`; GET /history/{prompt_id}
 *   answers `{}` until the prompt is done, then `{ [id]: entry }`; GET /view?filename&subfolder&type
 *   sends the file (400 for a path with "/" or "..", 404 when missing); POST /interrupt and POST /queue
 *   `{ clear, delete }` answer an empty 200; GET /queue `{ queue_running, queue_pending }`; GET /prompt
 *   `{ exec_info: { queue_remaining } }`; GET /system_stats `{ system, devices: [{ name, type, index,
 *   vram_total, … }] }`; GET /object_info node_info() per class. Every route also answers under /api
 *   (PromptServer.add_routes).
 * - execution.py (read at commit f599e5ca30): validate_prompt / validate_inputs (error types
 *   `prompt_no_outputs`, `required_input_missing`, `invalid_input_type`, `value_smaller_than_min`,
 *   `value_bigger_than_max`, `value_not_in_list`, `prompt_outputs_failed_validation`, node_errors
 *   `{ errors, dependent_outputs, class_type }`); PromptExecutor.add_message with a millisecond
 *   `timestamp` (later execution.py versions: `data = {**data, "timestamp": int(time.time() * 1000)}`,
 *   read in copies of the file, as the indexed upstream version predates it);
 *   handle_execution_error's `execution_error` / `execution_interrupted` messages; PromptQueue.task_done
 *   storing `{ prompt, outputs, status: { status_str, completed, messages } }`.
 * - nodes.py SaveImage.save_images (read in copies of nodes.py): `{filename_prefix}_{counter:05}_.png` with tEXt `prompt` = json.dumps(prompt)
 *   and one tEXt per extra_pnginfo key (`workflow`), the output `{ images: [{ filename, subfolder, type }] }`.
 * Renders run one at a time, take time linear in steps (scaled down), and draw pictures that converge.
 */

/** Ways the fake can be told to fail; change them at any time. */
export interface ComfyUiFaults {
  /** POST /prompt answers 400 with node_errors even for a valid workflow (as for a missing model file). */
  rejectWorkflow: boolean;
  /** The next renders fail in the sampler: a Python exception, or torch's out-of-memory. */
  executionError: null | 'error' | 'out-of-memory';
  /** GET /view answers bytes that are no image. */
  unreadableImage: boolean;
  /** GET /view answers this many bytes (a response bigger than any cap); 0 = off. */
  oversizedImageBytes: number;
  /** GET /view redirects to this URL. */
  redirectViewTo: string | null;
  /** After this many finished renders the process dies when the next prompt arrives. */
  dieAfterRenders: number | null;
}

export interface FakeComfyUiOptions {
  clock?: Partial<RenderClock>;
  /** As comfy.model_management.get_torch_device_name writes it. */
  deviceName?: string;
  checkpoints?: string[];
  unets?: string[];
  /** Listen on this port (default: a free one). */
  port?: number;
}

export interface FakeComfyUi {
  url: string;
  server: FakeServer;
  faults: ComfyUiFaults;
  /** What each finished render drew (in order), as the fake's sampler read it from the graph. */
  /** `realMs`: the fake's own busy time (waiting + drawing the PNG), for the overhead benchmark. */
  rendered: { promptId: string; steps: number; seed: string; prompt: string; reportedMs: number; realMs: number }[];
  /** POST /interrupt calls received. */
  interrupts: number;
  /** Prompt ids deleted from the queue through POST /queue. */
  deleted: string[];
  /** Stops listening: connections are refused from now on (the port stays unused). */
  refuseConnections(): Promise<void>;
  close(): Promise<void>;
}

type Inputs = Record<string, unknown>;
interface Node {
  class_type: string;
  inputs: Inputs;
}
type InputSpec = [string | string[], Record<string, unknown>?];
interface NodeClass {
  required: Record<string, InputSpec>;
  output: string[];
  outputNode?: boolean;
  category: string;
}

const INT_MAX = 0xffffffffffffffffn;
const SAMPLER_NAMES = ['euler', 'euler_ancestral', 'heun', 'dpm_2', 'dpmpp_2m', 'dpmpp_sde', 'ddim', 'uni_pc'];
const SCHEDULERS = ['normal', 'karras', 'exponential', 'sgm_uniform', 'simple', 'ddim_uniform', 'beta'];

/** The node classes the fake knows, with the input specs of ComfyUI's nodes.py / comfy_extras. */
function nodeLibrary(checkpoints: string[], unets: string[]): Record<string, NodeClass> {
  const int = (min: number | bigint, max: number | bigint, d = 0): InputSpec => ['INT', { default: d, min, max }];
  const float = (min: number, max: number, d = 0): InputSpec => ['FLOAT', { default: d, min, max, step: 0.1 }];
  const size = int(16, 16384, 1024);
  return {
    CheckpointLoaderSimple: { required: { ckpt_name: [checkpoints] }, output: ['MODEL', 'CLIP', 'VAE'], category: 'loaders' },
    UNETLoader: { required: { unet_name: [unets], weight_dtype: [['default', 'fp8_e4m3fn', 'fp8_e5m2']] }, output: ['MODEL'], category: 'advanced/loaders' },
    DualCLIPLoader: { required: { clip_name1: ['STRING'], clip_name2: ['STRING'], type: [['sdxl', 'sd3', 'flux']] }, output: ['CLIP'], category: 'advanced/loaders' },
    VAELoader: { required: { vae_name: ['STRING'] }, output: ['VAE'], category: 'loaders' },
    CLIPTextEncode: { required: { text: ['STRING', { multiline: true }], clip: ['CLIP'] }, output: ['CONDITIONING'], category: 'conditioning' },
    EmptyLatentImage: { required: { width: size, height: size, batch_size: int(1, 4096, 1) }, output: ['LATENT'], category: 'latent' },
    EmptySD3LatentImage: { required: { width: size, height: size, batch_size: int(1, 4096, 1) }, output: ['LATENT'], category: 'latent/sd3' },
    KSampler: {
      required: {
        model: ['MODEL'],
        seed: int(0, INT_MAX),
        steps: int(1, 10000, 20),
        cfg: float(0, 100, 8),
        sampler_name: [SAMPLER_NAMES],
        scheduler: [SCHEDULERS],
        positive: ['CONDITIONING'],
        negative: ['CONDITIONING'],
        latent_image: ['LATENT'],
        denoise: float(0, 1, 1),
      },
      output: ['LATENT'],
      category: 'sampling',
    },
    KSamplerAdvanced: {
      required: {
        model: ['MODEL'],
        add_noise: [['enable', 'disable']],
        noise_seed: int(0, INT_MAX),
        steps: int(1, 10000, 20),
        cfg: float(0, 100, 8),
        sampler_name: [SAMPLER_NAMES],
        scheduler: [SCHEDULERS],
        positive: ['CONDITIONING'],
        negative: ['CONDITIONING'],
        latent_image: ['LATENT'],
        start_at_step: int(0, 10000, 0),
        end_at_step: int(0, 10000, 10000),
        return_with_leftover_noise: [['disable', 'enable']],
      },
      output: ['LATENT'],
      category: 'sampling',
    },
    FluxGuidance: { required: { conditioning: ['CONDITIONING'], guidance: float(0, 100, 3.5) }, output: ['CONDITIONING'], category: 'advanced/conditioning/flux' },
    BasicGuider: { required: { model: ['MODEL'], conditioning: ['CONDITIONING'] }, output: ['GUIDER'], category: 'sampling/custom_sampling/guiders' },
    CFGGuider: { required: { model: ['MODEL'], positive: ['CONDITIONING'], negative: ['CONDITIONING'], cfg: float(0, 100, 8) }, output: ['GUIDER'], category: 'sampling/custom_sampling/guiders' },
    BasicScheduler: { required: { model: ['MODEL'], scheduler: [SCHEDULERS], steps: int(1, 10000, 20), denoise: float(0, 1, 1) }, output: ['SIGMAS'], category: 'sampling/custom_sampling/schedulers' },
    RandomNoise: { required: { noise_seed: int(0, INT_MAX) }, output: ['NOISE'], category: 'sampling/custom_sampling/noise' },
    KSamplerSelect: { required: { sampler_name: [SAMPLER_NAMES] }, output: ['SAMPLER'], category: 'sampling/custom_sampling/samplers' },
    SamplerCustomAdvanced: {
      required: { noise: ['NOISE'], guider: ['GUIDER'], sampler: ['SAMPLER'], sigmas: ['SIGMAS'], latent_image: ['LATENT'] },
      output: ['LATENT', 'LATENT'],
      category: 'sampling/custom_sampling',
    },
    VAEDecode: { required: { samples: ['LATENT'], vae: ['VAE'] }, output: ['IMAGE'], category: 'latent' },
    SaveImage: { required: { images: ['IMAGE'], filename_prefix: ['STRING', { default: 'ComfyUI' }] }, output: [], outputNode: true, category: 'image' },
  };
}

function isLink(v: unknown): v is [string, number] {
  return Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number') && typeof v[1] === 'number';
}

interface ValidationError {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** execution.py validate_inputs for one node: required inputs present, links to existing nodes, INT/FLOAT in range, lists. */
function validateNode(prompt: Record<string, Node>, id: string, library: Record<string, NodeClass>): ValidationError[] {
  const node = prompt[id]!;
  const spec = library[node.class_type]!;
  const errors: ValidationError[] = [];
  for (const [name, info] of Object.entries(spec.required)) {
    const [type, options = {}] = info;
    if (!(name in node.inputs)) {
      errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: name, extra_info: { input_name: name } });
      continue;
    }
    const val = node.inputs[name];
    if (isLink(val)) {
      if (prompt[String(val[0])] === undefined) {
        errors.push({ type: 'bad_linked_input', message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]', details: name, extra_info: { input_name: name, received_value: val } });
      }
      continue;
    }
    if (type === 'INT' || type === 'FLOAT') {
      const text = String(val);
      const ok = type === 'INT' ? /^-?\d+$/.test(text) : Number.isFinite(Number(text)) && text.trim() !== '';
      if (!ok) {
        errors.push({ type: 'invalid_input_type', message: `Failed to convert an input value to a ${type} value`, details: `${name}, ${text}`, extra_info: { input_name: name, received_value: val } });
        continue;
      }
      const big = type === 'INT';
      const value = big ? BigInt(text) : Number(text);
      const min = options.min as number | bigint | undefined;
      const max = options.max as number | bigint | undefined;
      if (min !== undefined && (big ? (value as bigint) < BigInt(min) : (value as number) < Number(min))) {
        errors.push({ type: 'value_smaller_than_min', message: `Value ${text} smaller than min of ${String(min)}`, details: name, extra_info: { input_name: name, received_value: val } });
        continue;
      }
      if (max !== undefined && (big ? (value as bigint) > BigInt(max) : (value as number) > Number(max))) {
        errors.push({ type: 'value_bigger_than_max', message: `Value ${text} bigger than max of ${String(max)}`, details: name, extra_info: { input_name: name, received_value: val } });
        continue;
      }
      // validate_inputs writes the converted value back (`inputs[x] = val`): a seed becomes a Python int.
      node.inputs[name] = big ? (Number.isSafeInteger(Number(value)) ? Number(value) : value) : value;
    } else if (Array.isArray(type) && !type.includes(String(val))) {
      errors.push({ type: 'value_not_in_list', message: 'Value not in list', details: `${name}: '${String(val)}' not in ${JSON.stringify(type)}`, extra_info: { input_name: name, received_value: val } });
    }
  }
  return errors;
}

/** Ids upstream of `start`, itself included. */
function upstreamOf(prompt: Record<string, Node>, start: string): string[] {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id) || prompt[id] === undefined) continue;
    seen.add(id);
    for (const v of Object.values(prompt[id]!.inputs)) if (isLink(v)) stack.push(String(v[0]));
  }
  return [...seen];
}

/** execution.py validate_prompt: `[ok, error, outputs, node_errors]`. */
function validatePrompt(prompt: Record<string, Node>, library: Record<string, NodeClass>): { ok: true; outputs: string[] } | { ok: false; error: ValidationError; nodeErrors: Record<string, unknown> | unknown[] } {
  for (const [id, node] of Object.entries(prompt)) {
    if (node === null || typeof node !== 'object' || typeof node.class_type !== 'string') {
      return { ok: false, error: { type: 'invalid_prompt', message: 'Cannot execute because a node is missing the class_type property.', details: `Node ID '#${id}'`, extra_info: {} }, nodeErrors: [] };
    }
    if (library[node.class_type] === undefined) {
      return { ok: false, error: { type: 'invalid_prompt', message: `Cannot execute because node ${node.class_type} does not exist.`, details: `Node ID '#${id}'`, extra_info: {} }, nodeErrors: [] };
    }
    if (node.inputs === null || typeof node.inputs !== 'object') node.inputs = {};
  }
  const outputs = Object.keys(prompt).filter((id) => library[prompt[id]!.class_type]!.outputNode);
  if (outputs.length === 0) return { ok: false, error: { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} }, nodeErrors: [] };
  const nodeErrors: Record<string, { errors: ValidationError[]; dependent_outputs: string[]; class_type: string }> = {};
  const good: string[] = [];
  for (const output of outputs) {
    let valid = true;
    for (const id of upstreamOf(prompt, output)) {
      const errors = validateNode(prompt, id, library);
      if (errors.length === 0) continue;
      valid = false;
      nodeErrors[id] ??= { errors, dependent_outputs: [], class_type: prompt[id]!.class_type };
      nodeErrors[id].dependent_outputs.push(output);
    }
    if (valid) good.push(output);
  }
  if (good.length === 0) {
    const details = Object.values(nodeErrors)
      .flatMap((e) => e.errors.map((x) => `${x.message}: ${x.details}`))
      .join('\n');
    return { ok: false, error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details, extra_info: {} }, nodeErrors };
  }
  return { ok: true, outputs: good };
}

/** What the sampler feeding a SaveImage would compute with: read from the graph as ComfyUI's nodes would. */
function samplingOf(prompt: Record<string, Node>, saveId: string): { samplerId: string; steps: number; seed: string; text: string; width: number; height: number } {
  const source = (id: string, input: string): string | null => {
    const v = prompt[id]?.inputs[input];
    return isLink(v) ? String(v[0]) : null;
  };
  const decode = source(saveId, 'images');
  const samplerId = decode ? source(decode, 'samples') : null;
  const sampler = samplerId ? prompt[samplerId] : undefined;
  if (!samplerId || !sampler) throw new Error('SaveImage is not fed by VAEDecode ← sampler');
  const literal = (id: string | null, input: string): unknown => (id ? prompt[id]?.inputs[input] : undefined);
  let steps = literal(samplerId, 'steps');
  let seed = literal(samplerId, 'seed') ?? literal(samplerId, 'noise_seed');
  let conditioning = source(samplerId, 'positive');
  if (sampler.class_type === 'SamplerCustomAdvanced') {
    steps = literal(source(samplerId, 'sigmas'), 'steps');
    seed = literal(source(samplerId, 'noise'), 'noise_seed');
    const guider = source(samplerId, 'guider');
    conditioning = guider ? (source(guider, 'conditioning') ?? source(guider, 'positive')) : null;
  }
  while (conditioning && prompt[conditioning]?.class_type === 'FluxGuidance') conditioning = source(conditioning, 'conditioning');
  const latent = source(samplerId, 'latent_image');
  return {
    samplerId,
    steps: Number(steps),
    seed: String(seed ?? 0),
    text: String(literal(conditioning, 'text') ?? ''),
    width: Number(literal(latent, 'width') ?? 1024),
    height: Number(literal(latent, 'height') ?? 1024),
  };
}

interface QueueItem {
  number: number;
  promptId: string;
  prompt: Record<string, Node>;
  extraData: Record<string, unknown>;
  outputs: string[];
}

/** Starts a fake ComfyUI on 127.0.0.1 (port 0). */
export async function startFakeComfyUi(options: FakeComfyUiOptions = {}): Promise<FakeComfyUi> {
  const clock: RenderClock = { ...DEFAULT_CLOCK, ...options.clock };
  const library = nodeLibrary(options.checkpoints ?? ['sd_xl_base_1.0.safetensors', 'flux1-dev-fp8.safetensors'], options.unets ?? ['flux1-dev.safetensors']);
  const deviceName = options.deviceName ?? 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync';
  const history = new Map<string, Record<string, unknown>>();
  const files = new Map<string, Buffer>();
  const queue: QueueItem[] = [];
  let running: QueueItem | null = null;
  let interruptFlag = false;
  let number = 0;
  let counter = 1;

  const faults: ComfyUiFaults = { rejectWorkflow: false, executionError: null, unreadableImage: false, oversizedImageBytes: 0, redirectViewTo: null, dieAfterRenders: null };
  const fake = { faults, rendered: [], interrupts: 0, deleted: [] } as unknown as FakeComfyUi;

  /** PromptExecutor.execute + PromptQueue.task_done for one item. */
  async function execute(item: QueueItem): Promise<void> {
    const messages: [string, Record<string, unknown>][] = [];
    const started = Date.now();
    const add = (event: string, data: Record<string, unknown>, at: number) => messages.push([event, { ...data, timestamp: at }]);
    add('execution_start', { prompt_id: item.promptId }, started);
    add('execution_cached', { nodes: [], prompt_id: item.promptId }, started);
    const saveId = item.outputs[0]!;
    const sampling = samplingOf(item.prompt, saveId);
    const reportedMs = reportedRenderMs(clock, sampling.steps);
    const waited = await sleepUnless(reportedMs * clock.timeScale, () => interruptFlag || fake.server.dead);
    const outputs: Record<string, unknown> = {};
    let status: Record<string, unknown>;
    const samplerType = item.prompt[sampling.samplerId]!.class_type;
    if (interruptFlag) {
      add('execution_interrupted', { prompt_id: item.promptId, node_id: sampling.samplerId, node_type: samplerType, executed: [] }, started + Math.round(waited / clock.timeScale));
      status = { status_str: 'error', completed: false, messages };
    } else if (faults.executionError !== null) {
      const oom = faults.executionError === 'out-of-memory';
      add(
        'execution_error',
        {
          prompt_id: item.promptId,
          node_id: sampling.samplerId,
          node_type: samplerType,
          executed: [],
          exception_message: oom ? 'Allocation on device \nThis error means you ran out of memory on your GPU.' : 'mat1 and mat2 shapes cannot be multiplied (77x2048 and 768x320)',
          exception_type: oom ? 'torch.OutOfMemoryError' : 'RuntimeError',
          traceback: ['  File "execution.py", line 323, in execute\n'],
          current_inputs: {},
          current_outputs: {},
        },
        started + reportedMs,
      );
      status = { status_str: 'error', completed: false, messages };
    } else {
      const prefix = String(item.prompt[saveId]!.inputs.filename_prefix ?? 'ComfyUI');
      const filename = `${prefix}_${String(counter++).padStart(5, '0')}_.png`;
      const text: Record<string, string> = { prompt: stringifyWithBigIntegers(item.prompt) };
      const pnginfo = item.extraData.extra_pnginfo;
      if (pnginfo !== null && typeof pnginfo === 'object') for (const [k, v] of Object.entries(pnginfo)) text[k] = JSON.stringify(v);
      const png = await convergingPng({ steps: sampling.steps, variant: pictureVariant(sampling.seed, sampling.text), size: renderSize(sampling.width, sampling.height), text });
      files.set(`output//${filename}`, png);
      outputs[saveId] = { images: [{ filename, subfolder: '', type: 'output' }] };
      add('execution_success', { prompt_id: item.promptId }, started + reportedMs);
      status = { status_str: 'success', completed: true, messages };
      fake.rendered.push({ promptId: item.promptId, steps: sampling.steps, seed: sampling.seed, prompt: sampling.text, reportedMs, realMs: Date.now() - started });
    }
    history.set(item.promptId, {
      prompt: [item.number, item.promptId, item.prompt, item.extraData, item.outputs],
      outputs,
      status,
      meta: Object.fromEntries(Object.keys(outputs).map((id) => [id, { node_id: id, display_node: id, parent_node: null, real_node_id: id }])),
    });
  }

  /** main.py prompt_worker: one prompt at a time, in queue order. */
  async function work(): Promise<void> {
    if (running !== null) return;
    while (queue.length > 0 && !fake.server.dead) {
      running = queue.shift()!;
      interruptFlag = false;
      try {
        await execute(running);
      } finally {
        running = null;
      }
    }
  }

  const queueEntry = (i: QueueItem) => [i.number, i.promptId, i.prompt, i.extraData, i.outputs];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : url.pathname;
    const route = `${req.method} ${path}`;
    if (route === 'POST /prompt') {
      if (faults.dieAfterRenders !== null && fake.rendered.length >= faults.dieAfterRenders) {
        await fake.server.die();
        return;
      }
      const body = parseJsonKeepingBigIntegers(await readBody(req)) as Record<string, unknown> | undefined;
      if (body === undefined || body === null || typeof body !== 'object') return sendText(res, 500, '500 Internal Server Error\n\nServer got itself in trouble');
      if (!('prompt' in body)) return sendJson(res, 400, { error: 'no prompt', node_errors: [] });
      const prompt = body.prompt as Record<string, Node>;
      if (faults.rejectWorkflow) {
        const ckpt = Object.keys(prompt).find((id) => prompt[id]?.class_type === 'CheckpointLoaderSimple' || prompt[id]?.class_type === 'UNETLoader') ?? Object.keys(prompt)[0] ?? '1';
        const error = { type: 'value_not_in_list', message: 'Value not in list', details: "ckpt_name: 'missing.safetensors' not in []", extra_info: { input_name: 'ckpt_name' } };
        return sendJson(res, 400, {
          error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: `${error.message}: ${error.details}`, extra_info: {} },
          node_errors: { [ckpt]: { errors: [error], dependent_outputs: ['9'], class_type: prompt[ckpt]?.class_type ?? 'CheckpointLoaderSimple' } },
        });
      }
      const valid = validatePrompt(prompt, library);
      if (!valid.ok) return sendJson(res, 400, { error: valid.error, node_errors: valid.nodeErrors });
      const extraData = (body.extra_data as Record<string, unknown> | undefined) ?? {};
      if (typeof body.client_id === 'string') extraData.client_id = body.client_id;
      const item: QueueItem = { number: number++, promptId: randomUUID(), prompt, extraData, outputs: valid.outputs };
      queue.push(item);
      void work();
      return sendJson(res, 200, { prompt_id: item.promptId, number: item.number, node_errors: {} });
    }
    if (req.method === 'GET' && path.startsWith('/history/')) {
      const id = decodeURIComponent(path.slice('/history/'.length));
      const entry = history.get(id);
      return sendJson(res, 200, entry ? stringifyWithBigIntegers({ [id]: entry }) : {});
    }
    if (route === 'GET /history') return sendJson(res, 200, stringifyWithBigIntegers(Object.fromEntries(history)));
    if (route === 'GET /view') {
      const filename = url.searchParams.get('filename');
      if (filename === null) return sendText(res, 404, '404: Not Found');
      if (filename.startsWith('/') || filename.includes('..')) return sendText(res, 400, '');
      if (faults.redirectViewTo !== null) {
        res.writeHead(302, { location: faults.redirectViewTo });
        return void res.end();
      }
      if (faults.oversizedImageBytes > 0) {
        res.writeHead(200, { 'content-type': 'image/png' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        for (let sent = 0; sent < faults.oversizedImageBytes && !res.destroyed; sent += chunk.length) {
          if (!res.write(chunk)) {
            await new Promise<void>((resolve) => {
              const go = () => {
                res.off('drain', go).off('close', go);
                resolve();
              };
              res.on('drain', go).on('close', go);
            });
          }
        }
        return void res.end();
      }
      const type = url.searchParams.get('type') ?? 'output';
      const file = files.get(`${type}/${url.searchParams.get('subfolder') ?? ''}/${filename}`);
      if (!file) return sendText(res, 404, '404: Not Found');
      const bytes = faults.unreadableImage ? Buffer.from('<html>Internal error while reading the image</html>') : file;
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length, 'content-disposition': `filename="${filename}"` });
      return void res.end(bytes);
    }
    if (route === 'POST /interrupt') {
      fake.interrupts++;
      interruptFlag = running !== null;
      await readBody(req);
      return sendText(res, 200, '');
    }
    if (route === 'POST /queue') {
      const body = JSON.parse((await readBody(req)) || '{}') as { clear?: boolean; delete?: string[] };
      if (body.clear) queue.length = 0;
      for (const id of body.delete ?? []) {
        const at = queue.findIndex((i) => i.promptId === id);
        if (at >= 0) {
          queue.splice(at, 1);
          fake.deleted.push(id);
        }
      }
      return sendText(res, 200, '');
    }
    if (route === 'GET /queue') return sendJson(res, 200, stringifyWithBigIntegers({ queue_running: running ? [queueEntry(running)] : [], queue_pending: queue.map(queueEntry) }));
    if (route === 'GET /prompt') return sendJson(res, 200, { exec_info: { queue_remaining: queue.length + (running ? 1 : 0) } });
    if (route === 'GET /system_stats') {
      return sendJson(res, 200, {
        system: { os: 'posix', ram_total: 68_719_476_736, ram_free: 41_231_686_041, comfyui_version: '0.3.40', python_version: '3.12.3', pytorch_version: '2.7.0+cu128', embedded_python: false, argv: ['main.py', '--listen'] },
        devices: [{ name: deviceName, type: 'cuda', index: 0, vram_total: 25_393_692_672, vram_free: 23_800_000_000, torch_vram_total: 0, torch_vram_free: 0 }],
      });
    }
    if (route === 'GET /object_info') {
      const info = Object.fromEntries(
        Object.entries(library).map(([name, c]) => [
          name,
          {
            input: { required: c.required },
            input_order: { required: Object.keys(c.required) },
            output: c.output,
            output_is_list: c.output.map(() => false),
            output_name: c.output,
            name,
            display_name: name,
            description: '',
            python_module: 'nodes',
            category: c.category,
            output_node: c.outputNode === true,
          },
        ]),
      );
      return sendJson(res, 200, stringifyWithBigIntegers(info));
    }
    return sendText(res, 404, '404: Not Found');
  }

  fake.server = await startFakeServer(handle, options.port);
  fake.url = fake.server.url;
  fake.refuseConnections = () => fake.server.die();
  fake.close = () => fake.server.close();
  return fake;
}

/** An API-format SDXL workflow as "Export (API)" writes it: checkpoint → prompts → KSampler → VAEDecode → SaveImage. */
export function sdxlWorkflow(options: { steps?: number; seed?: number; checkpoint?: string } = {}): Record<string, Node & { _meta: { title: string } }> {
  return {
    '3': {
      class_type: 'KSampler',
      inputs: { seed: options.seed ?? 156680208700286, steps: options.steps ?? 20, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['7', 0], latent_image: ['5', 0] },
      _meta: { title: 'KSampler' },
    },
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: options.checkpoint ?? 'sd_xl_base_1.0.safetensors' }, _meta: { title: 'Load Checkpoint' } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: 1024, height: 1024, batch_size: 1 }, _meta: { title: 'Empty Latent Image' } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a lighthouse on a cliff at dusk', clip: ['4', 1] }, _meta: { title: 'CLIP Text Encode (Prompt)' } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry, watermark', clip: ['4', 1] }, _meta: { title: 'CLIP Text Encode (Prompt)' } },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] }, _meta: { title: 'VAE Decode' } },
    '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'ComfyUI', images: ['8', 0] }, _meta: { title: 'Save Image' } },
  };
}

/** An API-format FLUX.1-dev workflow: UNETLoader, FluxGuidance, BasicScheduler, RandomNoise, SamplerCustomAdvanced, EmptySD3LatentImage. */
export function fluxWorkflow(options: { steps?: number; seed?: number } = {}): Record<string, Node & { _meta: { title: string } }> {
  const n = (class_type: string, inputs: Inputs, title = class_type) => ({ class_type, inputs, _meta: { title } });
  return {
    '6': n('CLIPTextEncode', { text: 'a red fox in fresh snow, golden hour', clip: ['11', 0] }),
    '8': n('VAEDecode', { samples: ['13', 0], vae: ['10', 0] }),
    '9': n('SaveImage', { filename_prefix: 'flux', images: ['8', 0] }),
    '10': n('VAELoader', { vae_name: 'ae.safetensors' }),
    '11': n('DualCLIPLoader', { clip_name1: 't5xxl_fp16.safetensors', clip_name2: 'clip_l.safetensors', type: 'flux' }),
    '12': n('UNETLoader', { unet_name: 'flux1-dev.safetensors', weight_dtype: 'default' }),
    '13': n('SamplerCustomAdvanced', { noise: ['25', 0], guider: ['22', 0], sampler: ['16', 0], sigmas: ['17', 0], latent_image: ['27', 0] }),
    '16': n('KSamplerSelect', { sampler_name: 'euler' }),
    '17': n('BasicScheduler', { scheduler: 'simple', steps: options.steps ?? 20, denoise: 1, model: ['12', 0] }),
    '22': n('BasicGuider', { model: ['12', 0], conditioning: ['26', 0] }),
    '25': n('RandomNoise', { noise_seed: options.seed ?? 219670278747233 }),
    '26': n('FluxGuidance', { guidance: 3.5, conditioning: ['6', 0] }),
    '27': n('EmptySD3LatentImage', { width: 1024, height: 1024, batch_size: 1 }),
  };
}
