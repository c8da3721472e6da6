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
  sleepUnless,
  startFakeServer,
  type FakeServer,
  type RenderClock,
} from './fake-generator-server.js';

/**
 * A protocol-faithful fake of the AUTOMATIC1111 / Forge API (`--api`), written from
 * AUTOMATIC1111/stable-diffusion-webui modules/api/api.py (read at commit 0050a35429) and
 * modules/api/models.py (read at commit 008a8e7576: StableDiffusionTxt2ImgProcessingAPI's extra fields
 * sampler_index "Euler", script_name, script_args, send_images true, save_images false,
 * alwayson_scripts, force_task_id, infotext; TextToImageResponse { images, parameters, info }; SDModelItem):
 * - Api.__init__ routes: POST /sdapi/v1/txt2img (response_model TextToImageResponse: `images` as
 *   base64 strings, `parameters` = the request with its defaults, `info` = Processed.js(), a JSON
 *   string); POST /sdapi/v1/interrupt answers `{}` (interruptapi); GET /sdapi/v1/options (get_config: every
 *   setting, `sd_model_checkpoint` among them); GET /sdapi/v1/sd-models (get_sd_models: `[{ title,
 *   model_name, hash, sha256, filename, config }]`); GET /sdapi/v1/samplers (`[{ name, aliases, options }]`).
 * - validate_sampler_name: an unknown sampler is HTTPException(404, "Sampler not found").
 * - api_middleware: log_and_time sets `X-Process-Time` (seconds, round(…, 4)); handle_exception
 *   answers `{ error, detail, body, errors }` with the exception's status (500 for a crash, e.g.
 *   torch's OutOfMemoryError). FastAPI's request validation answers 422 `{ detail: [{ loc, msg, type }] }`.
 * - The PNG carries the infotext in tEXt `parameters` (processing.py create_infotext,
 *   images.save_image / encode_pil_to_base64 copy `image.info` text items).
 * Renders run one at a time (the queue_lock), take time linear in steps (scaled down); an
 * interrupted render still answers with the image reached so far, as A1111 does.
 */

export interface A1111Faults {
  /** The next renders crash: a Python exception, or torch's CUDA out-of-memory. */
  executionError: null | 'error' | 'out-of-memory';
  /** The `images` entry is base64 of bytes that are no image. */
  unreadableImage: boolean;
  /** The answer carries this many extra bytes of base64 (bigger than any cap); 0 = off. */
  oversizedAnswerBytes: number;
  /** After this many finished renders the process dies when the next txt2img arrives. */
  dieAfterRenders: number | null;
  /** Whether the X-Process-Time header is sent (a proxy may strip it). */
  sendProcessTime: boolean;
}

export interface FakeA1111 {
  url: string;
  server: FakeServer;
  faults: A1111Faults;
  /** `realMs`: the fake's own busy time (waiting + drawing the PNG), for the overhead benchmark. */
  rendered: { steps: number; seed: string; prompt: string; sampler: string; checkpoint: string; reportedMs: number; interrupted: boolean; realMs: number }[];
  interrupts: number;
  refuseConnections(): Promise<void>;
  close(): Promise<void>;
}

const SAMPLERS = ['DPM++ 2M', 'DPM++ SDE', 'Euler a', 'Euler', 'LMS', 'Heun', 'DPM2', 'DDIM', 'UniPC'];

interface Checkpoint {
  title: string;
  model_name: string;
  hash: string;
  sha256: string;
  filename: string;
  config: null;
}

function checkpoint(file: string, hash: string): Checkpoint {
  const modelName = file.replace(/\.(safetensors|ckpt)$/, '');
  return { title: `${file} [${hash}]`, model_name: modelName, hash, sha256: hash.padEnd(64, '0'), filename: `/stable-diffusion-webui/models/Stable-diffusion/${file}`, config: null };
}

/** FastAPI's 422 for a field of the wrong type (pydantic v1 wording, as A1111 1.x ships). */
function validationError(field: string, msg: string, type: string) {
  return { detail: [{ loc: ['body', field], msg, type }] };
}

export async function startFakeA1111(options: { clock?: Partial<RenderClock>; checkpoints?: string[]; port?: number } = {}): Promise<FakeA1111> {
  const clock: RenderClock = { ...DEFAULT_CLOCK, ...options.clock };
  const checkpoints = (options.checkpoints ?? ['sd_xl_base_1.0.safetensors', 'flux1-dev-bnb-nf4-v2.safetensors']).map((f, i) => checkpoint(f, ['31e35c80fc', 'f0770152ec', '6ce0161689'][i % 3]!));
  const settings: Record<string, unknown> = { sd_model_checkpoint: checkpoints[0]!.title, samples_format: 'png', enable_pnginfo: true, CLIP_stop_at_last_layers: 1, sd_vae: 'Automatic' };
  let lock: Promise<void> = Promise.resolve();
  let interruptFlag = false;
  const faults: A1111Faults = { executionError: null, unreadableImage: false, oversizedAnswerBytes: 0, dieAfterRenders: null, sendProcessTime: true };
  const fake = { faults, rendered: [], interrupts: 0 } as unknown as FakeA1111;

  async function txt2img(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (faults.dieAfterRenders !== null && fake.rendered.length >= faults.dieAfterRenders) {
      await fake.server.die();
      return;
    }
    const body = parseJsonKeepingBigIntegers(await readBody(req));
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      return sendJson(res, 422, { detail: [{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }] });
    }
    // StableDiffusionTxt2ImgProcessingAPI: the processing class's defaults, then what was sent.
    const p: Record<string, unknown> = {
      prompt: '', negative_prompt: '', styles: null, seed: -1, subseed: -1, subseed_strength: 0, sampler_name: null, sampler_index: 'Euler', scheduler: null,
      batch_size: 1, n_iter: 1, steps: 50, cfg_scale: 7.0, width: 512, height: 512, restore_faces: null, tiling: null,
      override_settings: null, override_settings_restore_afterwards: true, script_name: null, script_args: [], send_images: true, save_images: false,
      alwayson_scripts: {}, force_task_id: null, infotext: null,
      ...(body as Record<string, unknown>),
    };
    for (const field of ['steps', 'width', 'height', 'batch_size', 'n_iter']) {
      if (!Number.isInteger(p[field])) return sendJson(res, 422, validationError(field, 'value is not a valid integer', 'type_error.integer'));
    }
    if (!/^-?\d+$/.test(String(p.seed))) return sendJson(res, 422, validationError('seed', 'value is not a valid integer', 'type_error.integer'));
    if (typeof p.cfg_scale !== 'number') return sendJson(res, 422, validationError('cfg_scale', 'value is not a valid float', 'type_error.float'));
    const samplerName = String(p.sampler_name ?? p.sampler_index);
    if (!SAMPLERS.includes(samplerName)) return sendJson(res, 404, { error: 'HTTPException', detail: 'Sampler not found', body: '', errors: '' });

    const release = lock;
    let done!: () => void;
    lock = new Promise((resolve) => (done = resolve));
    await release;
    try {
      const started = Date.now();
      interruptFlag = false;
      const override = (p.override_settings ?? {}) as Record<string, unknown>;
      const wanted = typeof override.sd_model_checkpoint === 'string' ? override.sd_model_checkpoint : String(settings.sd_model_checkpoint);
      const model = checkpoints.find((c) => c.title === wanted || c.model_name === wanted || c.title.startsWith(`${wanted} `) || c.title.startsWith(wanted)) ?? checkpoints[0]!;
      const steps = p.steps as number;
      const reportedMs = reportedRenderMs(clock, steps);
      const waited = await sleepUnless(reportedMs * clock.timeScale, () => interruptFlag || fake.server.dead);
      if (fake.server.dead) return;
      if (faults.executionError !== null) {
        const oom = faults.executionError === 'out-of-memory';
        const errors = oom ? 'CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 23.64 GiB of which 1.20 GiB is free.' : "'NoneType' object has no attribute 'sd_checkpoint_info'";
        return sendJson(res, 500, { error: oom ? 'OutOfMemoryError' : 'AttributeError', detail: '', body: '', errors });
      }
      // An interrupted render stops at the step it reached and still answers with that image.
      const stepsDone = interruptFlag ? Math.max(1, Math.floor((waited / (reportedMs * clock.timeScale)) * steps)) : steps;
      const seed = String(p.seed) === '-1' ? '1234567890' : String(p.seed);
      const prompt = String(p.prompt);
      const infotext =
        `${prompt}\nNegative prompt: ${String(p.negative_prompt)}\n` +
        `Steps: ${steps}, Sampler: ${samplerName}, Schedule type: Automatic, CFG scale: ${String(p.cfg_scale)}, Seed: ${seed}, ` +
        `Size: ${String(p.width)}x${String(p.height)}, Model hash: ${model.hash}, Model: ${model.model_name}, Version: v1.10.1`;
      const png = faults.unreadableImage
        ? Buffer.from('this is not a PNG')
        : await convergingPng({ steps: stepsDone, variant: pictureVariant(seed, prompt), size: renderSize(p.width as number, p.height as number), text: { parameters: infotext } });
      const info = {
        prompt, all_prompts: [prompt], negative_prompt: p.negative_prompt, all_negative_prompts: [p.negative_prompt],
        seed: BigInt(seed), all_seeds: [BigInt(seed)], subseed: 1, all_subseeds: [1], subseed_strength: 0,
        width: p.width, height: p.height, sampler_name: samplerName, cfg_scale: p.cfg_scale, steps,
        batch_size: 1, restore_faces: false, face_restoration_model: null, sd_model_name: model.model_name, sd_model_hash: model.hash,
        sd_vae_name: null, sd_vae_hash: null, seed_resize_from_w: -1, seed_resize_from_h: -1, denoising_strength: null,
        extra_generation_params: { 'Schedule type': 'Automatic' }, index_of_first_image: 0, infotexts: [infotext], styles: [],
        job_timestamp: new Date(started).toISOString().replace(/\D/g, '').slice(0, 14), clip_skip: 1, is_using_inpainting_conditioning: false, version: 'v1.10.1',
      };
      const images = [png.toString('base64') + (faults.oversizedAnswerBytes > 0 ? 'A'.repeat(faults.oversizedAnswerBytes) : '')];
      const text = stringifyWithBigIntegers({ images, parameters: { ...p, seed: BigInt(String(p.seed)) }, info: stringifyWithBigIntegers(info) });
      const headers: Record<string, string> = faults.sendProcessTime ? { 'x-process-time': String(Math.round(reportedMs * 10) / 10000) } : {};
      fake.rendered.push({ steps, seed, prompt, sampler: samplerName, checkpoint: model.title, reportedMs, interrupted: interruptFlag, realMs: Date.now() - started });
      sendJson(res, 200, text, headers);
    } finally {
      done();
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /sdapi/v1/txt2img') return txt2img(req, res);
    if (route === 'POST /sdapi/v1/interrupt') {
      fake.interrupts++;
      interruptFlag = true;
      await readBody(req);
      return sendJson(res, 200, {});
    }
    if (route === 'GET /sdapi/v1/options') return sendJson(res, 200, settings);
    if (route === 'GET /sdapi/v1/sd-models') return sendJson(res, 200, checkpoints);
    if (route === 'GET /sdapi/v1/samplers') return sendJson(res, 200, SAMPLERS.map((name) => ({ name, aliases: [name.toLowerCase().replace(/\W+/g, '_')], options: {} })));
    return sendJson(res, 404, { detail: 'Not Found' });
  }

  fake.server = await startFakeServer(handle, options.port);
  fake.url = fake.server.url;
  fake.refuseConnections = () => fake.server.die();
  fake.close = () => fake.server.close();
  return fake;
}
