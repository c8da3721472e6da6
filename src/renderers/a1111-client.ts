import { parseJsonKeepingBigIntegers } from '../images/parse-json-keeping-big-integers.js';
import { boundedFetch, parseJsonAnswer, type BoundedAnswer } from './bounded-fetch.js';
import { checkedImageMime } from './image-answer.js';
import { seedValue, stringifyWithBigIntegers } from './json-with-big-integers.js';
import { DEFAULT_CLIENT_OPTIONS, type ClientOptions, type PlannedRender, type RendererClient, type RenderResult } from './planned-render.js';
import { RendererError } from './renderer-error.js';
import { endpointUrl } from './renderer-url.js';

/** Bytes a JSON answer other than txt2img's (options, model list) may have. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** Room for txt2img's `parameters` and `info` beside the base64 image. */
const TEXT_ALLOWANCE = 1024 * 1024;
const MAX_MESSAGE = 300;
const MAX_INFOTEXT = 5000;

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function short(value: unknown, max = MAX_MESSAGE): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * What A1111 said went wrong: its api_middleware answers `{ error, detail, body, errors }`
 * (modules/api/api.py handle_exception); FastAPI's own validation answers `{ detail: [{ loc, msg }] }`.
 */
function describeFailure(body: unknown): string {
  const record = asRecord(body);
  if (Array.isArray(record?.detail)) {
    return record.detail
      .slice(0, 3)
      .map((d) => {
        const r = asRecord(d);
        return r ? `${Array.isArray(r.loc) ? r.loc.join('.') : ''}: ${short(r.msg)}` : short(d);
      })
      .join('; ');
  }
  const parts = [record?.error, record?.detail, record?.errors].filter((p) => typeof p === 'string' && p !== '');
  return parts.length > 0 ? [...new Set(parts.map((p) => short(p)))].join(': ') : 'no reason given';
}

/** The fields of A1111's `info` (Processed.js() in modules/processing.py) worth keeping with a run. */
function infoMetadata(info: unknown): Json {
  const parsed = typeof info === 'string' ? asRecord(parseJsonKeepingBigIntegers(info)) : null;
  if (parsed === null) return {};
  const keep: Json = {};
  for (const key of ['seed', 'steps', 'sampler_name', 'cfg_scale', 'width', 'height', 'sd_model_name', 'sd_model_hash', 'job_timestamp', 'version']) {
    const v = parsed[key];
    if (typeof v === 'number' || typeof v === 'string') keep[key] = typeof v === 'string' ? short(v) : v;
  }
  const infotext = Array.isArray(parsed.infotexts) ? parsed.infotexts[0] : undefined;
  if (typeof infotext === 'string') keep.infotext = infotext.slice(0, MAX_INFOTEXT);
  return keep;
}

/**
 * The HTTP client of one AUTOMATIC1111 / Forge server started with `--api` (modules/api/api.py):
 * `POST /sdapi/v1/txt2img` with the planned steps, seed, sampler, CFG, size and checkpoint
 * (`override_settings.sd_model_checkpoint`), answered with base64 `images` and the `info` JSON;
 * `POST /sdapi/v1/interrupt` to cancel; `GET /sdapi/v1/options` and `/sd-models` to check the server
 * and list its checkpoints. A1111 names no GPU, so `readHardware` gives null. The time of a render is
 * A1111's `X-Process-Time` header (its log_and_time middleware) when sent, else wall time.
 */
export class A1111Client implements RendererClient {
  readonly kind = 'a1111' as const;
  private readonly options: ClientOptions;

  constructor(
    readonly url: string,
    options: Partial<ClientOptions> = {},
  ) {
    this.options = { ...DEFAULT_CLIENT_OPTIONS, ...options };
  }

  private get(path: string): Promise<BoundedAnswer> {
    return boundedFetch(endpointUrl(this.url, path), { method: 'GET' }, { timeoutMs: this.options.requestTimeoutMs, maxBytes: MAX_JSON_BYTES });
  }

  /** GET /sdapi/v1/options: the settings object, which proves an A1111 API answers there. */
  async readOptions(): Promise<Json> {
    const answer = await this.get('/sdapi/v1/options');
    if (answer.status === 404) throw new RendererError('bad-answer', `${answer.url} does not exist: is A1111/Forge started with --api?`);
    if (answer.status !== 200) throw new RendererError('bad-answer', `${answer.url} answered HTTP ${answer.status}: ${describeFailure(parseJsonAnswer(answer, 'the options'))}`);
    const options = asRecord(parseJsonAnswer(answer, 'the options'));
    if (options === null) throw new RendererError('bad-answer', `${answer.url} did not answer with A1111's options object`);
    return options;
  }

  /** The checkpoint titles of GET /sdapi/v1/sd-models (`[{ title, model_name, hash, sha256, filename, config }]`). */
  async listCheckpoints(): Promise<string[]> {
    const answer = await this.get('/sdapi/v1/sd-models');
    const list = answer.status === 200 ? parseJsonAnswer(answer, 'the model list') : null;
    if (!Array.isArray(list)) throw new RendererError('bad-answer', `${answer.url} did not answer with a model list (HTTP ${answer.status})`);
    return list.flatMap((m) => {
      const title = asRecord(m)?.title;
      return typeof title === 'string' ? [short(title, 255)] : [];
    });
  }

  async readHardware(): Promise<string | null> {
    await this.readOptions();
    return null;
  }

  async render(planned: PlannedRender, options: { signal?: AbortSignal } = {}): Promise<RenderResult> {
    const body: Json = {
      prompt: planned.prompt ?? '',
      negative_prompt: planned.negativePrompt ?? '',
      steps: planned.steps,
      seed: seedValue(planned.seed),
      batch_size: 1,
      n_iter: 1,
      send_images: true,
      save_images: false,
    };
    if (planned.sampler !== null) body.sampler_name = planned.sampler;
    if (planned.guidance !== null) body.cfg_scale = planned.guidance;
    if (planned.width !== null) body.width = planned.width;
    if (planned.height !== null) body.height = planned.height;
    if (planned.checkpoint !== null) {
      body.override_settings = { sd_model_checkpoint: planned.checkpoint };
      body.override_settings_restore_afterwards = true;
    }
    const started = performance.now();
    let answer: BoundedAnswer;
    try {
      answer = await boundedFetch(
        endpointUrl(this.url, '/sdapi/v1/txt2img'),
        { method: 'POST', body: stringifyWithBigIntegers(body) },
        // Base64 is 4/3 of the image; the cap is the image limit in those terms.
        { timeoutMs: this.options.renderTimeoutMs, maxBytes: Math.ceil((this.options.maxBytes * 4) / 3) + TEXT_ALLOWANCE, ...(options.signal ? { signal: options.signal } : {}) },
      );
    } catch (err) {
      if (err instanceof RendererError && (err.code === 'cancelled' || err.code === 'timeout')) await this.interrupt();
      throw err;
    }
    const wallMs = Math.round(performance.now() - started);
    const result = parseJsonAnswer(answer, 'txt2img');
    if (answer.status === 404 || answer.status === 422) throw new RendererError('rejected', `A1111 at ${this.url} rejected the render: ${describeFailure(result)}`);
    if (answer.status >= 500) {
      const why = describeFailure(result);
      if (/OutOfMemory|out of memory/i.test(why)) throw new RendererError('out-of-memory', `A1111 at ${this.url} ran out of GPU memory: ${why}`);
      throw new RendererError('execution', `A1111 at ${this.url} failed to render: ${why}`);
    }
    if (answer.status !== 200) throw new RendererError('bad-answer', `A1111 at ${this.url} answered txt2img with HTTP ${answer.status}`);
    const record = asRecord(result);
    const first = Array.isArray(record?.images) ? record.images[0] : undefined;
    if (typeof first !== 'string' || first === '') throw new RendererError('bad-image', `A1111 at ${this.url} answered without an image`);
    const bytes = Buffer.from(first.replace(/^data:image\/\w+;base64,/, ''), 'base64');
    const mime = await checkedImageMime(bytes, `A1111 at ${this.url}`);
    const processSeconds = Number(answer.headers.get('x-process-time'));
    const generatorMs = Number.isFinite(processSeconds) && processSeconds > 0 ? Math.round(processSeconds * 1000) : null;
    return {
      bytes,
      mime,
      durationMs: generatorMs ?? wallMs,
      timingSource: generatorMs === null ? 'wall' : 'generator',
      metadata: { generator: 'a1111', ...infoMetadata(record?.info) },
    };
  }

  async cancel(): Promise<void> {
    await this.interrupt();
  }

  /** POST /sdapi/v1/interrupt (answers `{}`); a renderer that is gone has nothing to stop. */
  private async interrupt(): Promise<void> {
    try {
      await boundedFetch(endpointUrl(this.url, '/sdapi/v1/interrupt'), { method: 'POST', body: '{}' }, { timeoutMs: this.options.requestTimeoutMs, maxBytes: MAX_JSON_BYTES });
    } catch {
      // Nothing to stop on a renderer that cannot be reached.
    }
  }
}
