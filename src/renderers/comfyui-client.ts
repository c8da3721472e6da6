import { randomUUID } from 'node:crypto';
import { boundedFetch, parseJsonAnswer, type BoundedAnswer } from './bounded-fetch.js';
import { mapWorkflow, patchWorkflow, type ApiWorkflow, type WorkflowMapping } from './comfyui-workflow-mapping.js';
import { checkedImageMime, hardwareName } from './image-answer.js';
import { stringifyWithBigIntegers } from './json-with-big-integers.js';
import { DEFAULT_CLIENT_OPTIONS, type ClientOptions, type PlannedRender, type RendererClient, type RenderResult } from './planned-render.js';
import { RendererError } from './renderer-error.js';
import { endpointUrl } from './renderer-url.js';

/** Bytes a JSON answer (the history, system stats, a POST /prompt reply) may have. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** Characters of a generator's message kept in an error (tracebacks are long). */
const MAX_MESSAGE = 300;

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function short(text: unknown): string {
  const s = typeof text === 'string' ? text : JSON.stringify(text) ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

/**
 * ComfyUI's validation answer in a sentence: the `error` message, then each node's errors
 * (server.py post_prompt answers 400 `{ error, node_errors }`; execution.py validate_prompt builds
 * `node_errors[id] = { errors: [{ type, message, details }], class_type }`).
 */
export function describeNodeErrors(body: unknown): string {
  const record = asRecord(body);
  const error = asRecord(record?.error);
  const parts: string[] = [];
  const head = error ? short(error.message) : typeof record?.error === 'string' ? short(record.error) : '';
  const nodeErrors = asRecord(record?.node_errors) ?? {};
  for (const [node, entry] of Object.entries(nodeErrors).slice(0, 5)) {
    const e = asRecord(entry);
    const errors = Array.isArray(e?.errors) ? e.errors : [];
    const reasons = errors.slice(0, 3).map((x) => {
      const r = asRecord(x);
      return r ? `${short(r.message)}${r.details ? ` (${short(r.details)})` : ''}` : short(x);
    });
    parts.push(`node ${short(node)}${e?.class_type ? ` ${short(e.class_type)}` : ''}: ${reasons.join('; ') || 'invalid'}`);
  }
  if (parts.length === 0 && error?.details) parts.push(short(error.details));
  return [head || 'the workflow is invalid', ...parts].join(' — ');
}

/** The status messages of a history entry as `[event, data]` pairs (execution.py add_message → task_done). */
function statusMessages(status: Json | null): [string, Json][] {
  const messages = Array.isArray(status?.messages) ? status.messages : [];
  return messages.flatMap((m): [string, Json][] => {
    if (!Array.isArray(m) || typeof m[0] !== 'string') return [];
    return [[m[0], asRecord(m[1]) ?? {}]];
  });
}

/** ComfyUI reports an out-of-memory as torch's OutOfMemoryError ("CUDA out of memory", "Allocation on device"). */
function isOutOfMemory(data: Json): boolean {
  return /OutOfMemory|out of memory|Allocation on device/i.test(`${String(data.exception_type ?? '')} ${String(data.exception_message ?? '')}`);
}

/**
 * The HTTP client of one ComfyUI server (comfyanonymous/ComfyUI server.py routes):
 * `POST /prompt` with the workflow (steps, seed and prompts patched in), `GET /history/{prompt_id}`
 * until the entry appears with its status, `GET /view` for the first output image, `POST /interrupt`
 * and `POST /queue { delete }` to cancel, `GET /system_stats` for the device name. The time of a
 * render is ComfyUI's own: the timestamps of its execution_start and execution_success messages.
 */
export class ComfyUiClient implements RendererClient {
  readonly kind = 'comfyui' as const;
  private readonly options: ClientOptions;
  private readonly mapping: WorkflowMapping;
  /** Prompts we queued that have not finished: cancel() deletes them from ComfyUI's queue. */
  private readonly pending = new Set<string>();
  private readonly clientId = randomUUID();

  constructor(
    readonly url: string,
    private readonly workflow: ApiWorkflow,
    options: Partial<ClientOptions> = {},
  ) {
    this.options = { ...DEFAULT_CLIENT_OPTIONS, ...options };
    this.mapping = mapWorkflow(workflow);
  }

  private json(path: string, init: { method: 'GET' | 'POST'; body?: string }, signal?: AbortSignal): Promise<BoundedAnswer> {
    return boundedFetch(endpointUrl(this.url, path), init, { timeoutMs: this.options.requestTimeoutMs, maxBytes: MAX_JSON_BYTES, ...(signal ? { signal } : {}) });
  }

  async readHardware(): Promise<string | null> {
    const answer = await this.json('/system_stats', { method: 'GET' });
    if (answer.status !== 200) throw new RendererError('bad-answer', `${answer.url} answered HTTP ${answer.status}; is this a ComfyUI server?`);
    const body = asRecord(parseJsonAnswer(answer, 'the system stats'));
    const devices = Array.isArray(body?.devices) ? body.devices : null;
    if (devices === null) throw new RendererError('bad-answer', `${answer.url} has no "devices" list; is this a ComfyUI server?`);
    return hardwareName(asRecord(devices[0])?.name);
  }

  async render(planned: PlannedRender, options: { signal?: AbortSignal } = {}): Promise<RenderResult> {
    const started = performance.now();
    const workflow = patchWorkflow(this.workflow, this.mapping, { steps: planned.steps, seed: planned.seed, prompt: planned.prompt, negativePrompt: planned.negativePrompt });
    const promptId = await this.queuePrompt(workflow, options.signal);
    this.pending.add(promptId);
    try {
      const entry = await this.waitForHistory(promptId, options.signal);
      const status = asRecord(entry.status);
      const messages = statusMessages(status);
      this.throwOnFailure(promptId, status, messages);
      const image = this.firstOutputImage(entry);
      const answer = await boundedFetch(
        endpointUrl(this.url, '/view', { filename: image.filename, subfolder: image.subfolder, type: image.type }),
        { method: 'GET' },
        { timeoutMs: this.options.requestTimeoutMs, maxBytes: this.options.maxBytes, ...(options.signal ? { signal: options.signal } : {}) },
      );
      if (answer.status !== 200) throw new RendererError('bad-image', `${answer.url} answered HTTP ${answer.status} instead of the image ${short(image.filename)}`);
      const mime = await checkedImageMime(answer.bytes, `${this.url} (${short(image.filename)})`);
      const start = messages.find(([event]) => event === 'execution_start')?.[1].timestamp;
      const end = messages.find(([event]) => event === 'execution_success')?.[1].timestamp;
      const generatorMs = typeof start === 'number' && typeof end === 'number' && end >= start ? end - start : null;
      return {
        bytes: answer.bytes,
        mime,
        durationMs: generatorMs ?? Math.round(performance.now() - started),
        timingSource: generatorMs === null ? 'wall' : 'generator',
        metadata: { generator: 'comfyui', promptId, image: { filename: short(image.filename), subfolder: short(image.subfolder), type: image.type }, samplerNode: this.mapping.sampler.node },
      };
    } catch (err) {
      if (options.signal?.aborted) await this.cancelPrompt(promptId);
      throw err;
    } finally {
      this.pending.delete(promptId);
    }
  }

  async cancel(): Promise<void> {
    const ids = [...this.pending];
    if (ids.length > 0) await this.json('/queue', { method: 'POST', body: JSON.stringify({ delete: ids }) });
    await this.json('/interrupt', { method: 'POST', body: '{}' });
  }

  private async cancelPrompt(promptId: string): Promise<void> {
    try {
      await this.json('/queue', { method: 'POST', body: JSON.stringify({ delete: [promptId] }) });
      await this.json('/interrupt', { method: 'POST', body: JSON.stringify({ prompt_id: promptId }) });
    } catch {
      // The render is already given up; a renderer that is gone has nothing left to stop.
    }
  }

  /** POST /prompt: `{ prompt_id, number, node_errors }`, or 400 `{ error, node_errors }` for a workflow ComfyUI refuses. */
  private async queuePrompt(workflow: ApiWorkflow, signal: AbortSignal | undefined): Promise<string> {
    const answer = await this.json('/prompt', { method: 'POST', body: stringifyWithBigIntegers({ prompt: workflow, client_id: this.clientId }) }, signal);
    const body = parseJsonAnswer(answer, 'the workflow');
    if (answer.status === 400) throw new RendererError('rejected', `ComfyUI at ${this.url} rejected the workflow: ${describeNodeErrors(body)}`);
    if (answer.status !== 200) throw new RendererError('bad-answer', `ComfyUI at ${this.url} answered the workflow with HTTP ${answer.status}`);
    const promptId = asRecord(body)?.prompt_id;
    if (typeof promptId !== 'string' || promptId === '' || promptId.length > 200) throw new RendererError('bad-answer', `ComfyUI at ${this.url} queued the workflow but sent no prompt_id`);
    return promptId;
  }

  /** GET /history/{id} until the entry is there: ComfyUI adds it when the prompt is done (PromptQueue.task_done). */
  private async waitForHistory(promptId: string, signal: AbortSignal | undefined): Promise<Json> {
    const deadline = performance.now() + this.options.renderTimeoutMs;
    for (;;) {
      const answer = await this.json(`/history/${encodeURIComponent(promptId)}`, { method: 'GET' }, signal);
      if (answer.status !== 200) throw new RendererError('bad-answer', `${answer.url} answered HTTP ${answer.status}`);
      const entry = asRecord(asRecord(parseJsonAnswer(answer, 'the history'))?.[promptId]);
      if (entry !== null && asRecord(entry.status) !== null) return entry;
      if (performance.now() > deadline) {
        await this.cancelPrompt(promptId);
        throw new RendererError('timeout', `ComfyUI at ${this.url} did not finish the render within ${Math.round(this.options.renderTimeoutMs / 1000)} s; it was cancelled`);
      }
      await sleep(this.options.pollMs, signal);
    }
  }

  private throwOnFailure(promptId: string, status: Json | null, messages: [string, Json][]): void {
    const error = messages.find(([event]) => event === 'execution_error')?.[1];
    if (error) {
      const where = `node ${short(error.node_id)}${error.node_type ? ` (${short(error.node_type)})` : ''}`;
      const what = `${short(error.exception_type)}: ${short(error.exception_message)}`;
      if (isOutOfMemory(error)) throw new RendererError('out-of-memory', `ComfyUI at ${this.url} ran out of GPU memory in ${where}: ${what}`);
      throw new RendererError('execution', `ComfyUI at ${this.url} failed in ${where}: ${what}`);
    }
    if (messages.some(([event]) => event === 'execution_interrupted')) throw new RendererError('cancelled', `The render ${promptId} was interrupted on ComfyUI at ${this.url}`);
    if (status?.status_str === 'error' || status?.completed === false) throw new RendererError('execution', `ComfyUI at ${this.url} reports the render ${promptId} as failed, without saying why`);
  }

  /** The first image of the outputs (`outputs[node].images[i] = { filename, subfolder, type }`), "output" ones first. */
  private firstOutputImage(entry: Json): { filename: string; subfolder: string; type: string } {
    const images = Object.values(asRecord(entry.outputs) ?? {}).flatMap((output) => {
      const list = asRecord(output)?.images;
      return Array.isArray(list) ? list.map(asRecord).filter((x): x is Json => x !== null && typeof x.filename === 'string') : [];
    });
    const image = images.find((i) => i.type === 'output') ?? images[0];
    if (!image) throw new RendererError('bad-image', `ComfyUI at ${this.url} finished the render without an output image: does the workflow end in a SaveImage node?`);
    const type = typeof image.type === 'string' && ['output', 'temp', 'input'].includes(image.type) ? image.type : 'output';
    return { filename: String(image.filename), subfolder: typeof image.subfolder === 'string' ? image.subfolder : '', type };
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RendererError('cancelled', 'The render was cancelled'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RendererError('cancelled', 'The render was cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
