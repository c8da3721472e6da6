import { afterEach, describe, expect, it } from 'vitest';
import { readGenerationMetadata } from '../../src/images/index.js';
import { ComfyUiClient } from '../../src/renderers/comfyui-client.js';
import { parseApiWorkflow } from '../../src/renderers/comfyui-workflow-mapping.js';
import type { PlannedRender } from '../../src/renderers/planned-render.js';
import { RendererError } from '../../src/renderers/renderer-error.js';
import { fluxWorkflow, sdxlWorkflow, startFakeComfyUi, type FakeComfyUi } from '../helpers/fake-comfyui.js';
import { startFakeServer } from '../helpers/fake-generator-server.js';
import { renderSimilarity } from '../helpers/render-similarity.js';

const fakes: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fakeComfy(): Promise<FakeComfyUi> {
  const fake = await startFakeComfyUi();
  fakes.push(fake);
  return fake;
}

const FAST = { pollMs: 5, requestTimeoutMs: 2000, renderTimeoutMs: 10_000 };

function planned(steps: number, seed = '42'): PlannedRender {
  return { steps, seed, prompt: 'a lighthouse on a cliff at dusk', negativePrompt: null, sampler: null, guidance: null, width: null, height: null, checkpoint: null };
}

async function failure(promise: Promise<unknown>): Promise<RendererError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RendererError);
  return err as RendererError;
}

describe('ComfyUiClient against the fake ComfyUI', () => {
  it('renders with the planned steps and seed patched in, timed by ComfyUI, as a PNG carrying prompt + workflow', async () => {
    const fake = await fakeComfy();
    const client = new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST);
    const result = await client.render(planned(30, '1234'));
    expect(fake.rendered).toEqual([expect.objectContaining({ steps: 30, seed: '1234', prompt: 'a lighthouse on a cliff at dusk' })]);
    expect(result.mime).toBe('image/png');
    // ComfyUI's own execution time: execution_success − execution_start timestamps, 380 + 30 × 670 ms on the fake.
    expect(result.timingSource).toBe('generator');
    expect(result.durationMs).toBe(380 + 30 * 670);
    expect(result.metadata).toMatchObject({ generator: 'comfyui', promptId: fake.rendered[0]!.promptId, samplerNode: '3' });
    const read = readGenerationMetadata(result.bytes);
    expect(read.ok && read.metadata).toMatchObject({ tool: 'comfyui', steps: 30, seed: '1234', model: 'sd_xl_base_1.0.safetensors', prompt: 'a lighthouse on a cliff at dusk' });
    expect(read.ok && Object.keys(read.texts)).toEqual(['prompt']);
  });

  it('writes tEXt workflow too when the prompt carries extra_pnginfo, as SaveImage does', async () => {
    const fake = await fakeComfy();
    const res = await fetch(`${fake.url}/prompt`, {
      method: 'POST',
      body: JSON.stringify({ prompt: sdxlWorkflow({ steps: 8 }), extra_data: { extra_pnginfo: { workflow: { nodes: [], links: [], version: 0.4 } } } }),
    });
    const { prompt_id: id } = (await res.json()) as { prompt_id: string };
    let entry: { outputs?: Record<string, { images: { filename: string }[] }> } | undefined;
    for (let i = 0; i < 400 && entry === undefined; i++) {
      entry = ((await (await fetch(`${fake.url}/history/${id}`)).json()) as Record<string, typeof entry>)[id];
      if (entry === undefined) await new Promise((r) => setTimeout(r, 5));
    }
    const filename = entry!.outputs!['9']!.images[0]!.filename;
    expect(filename).toBe('ComfyUI_00001_.png');
    const png = new Uint8Array(await (await fetch(`${fake.url}/view?filename=${filename}&subfolder=&type=output`)).arrayBuffer());
    const read = readGenerationMetadata(png);
    expect(read.ok && Object.keys(read.texts).sort()).toEqual(['prompt', 'workflow']);
  });

  it('drives a FLUX custom-sampling workflow and keeps a 64-bit seed exact', async () => {
    const fake = await fakeComfy();
    const client = new ComfyUiClient(fake.url, parseApiWorkflow(fluxWorkflow()), FAST);
    const result = await client.render(planned(12, '18446744073709551615'));
    expect(fake.rendered[0]).toMatchObject({ steps: 12, seed: '18446744073709551615' });
    const read = readGenerationMetadata(result.bytes);
    expect(read.ok && read.metadata).toMatchObject({ steps: 12, seed: '18446744073709551615' });
  });

  it('returns renders whose pixels converge with steps (SSIM to the 50-step render rises and flattens)', async () => {
    const fake = await fakeComfy();
    const client = new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST);
    const renders = new Map<number, Uint8Array>();
    for (const steps of [5, 15, 30, 50]) renders.set(steps, (await client.render(planned(steps))).bytes);
    const [s5, s15, s30] = await Promise.all([5, 15, 30].map((s) => renderSimilarity(renders.get(s)!, renders.get(50)!)));
    expect(s5!).toBeLessThan(s15!);
    expect(s15!).toBeLessThan(s30!);
    expect(s30! - s15!).toBeLessThan(s15! - s5!);
  });

  it('reads the device name from /system_stats', async () => {
    const fake = await fakeComfy();
    expect(await new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST).readHardware()).toBe('NVIDIA GeForce RTX 4090');
  });
});

describe('ComfyUiClient faults', () => {
  it('a renderer that refuses the connection is "unreachable", naming the URL', async () => {
    const fake = await fakeComfy();
    await fake.refuseConnections();
    const err = await failure(new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST).render(planned(10)));
    expect(err.code).toBe('unreachable');
    expect(err.message).toContain(`${fake.url}/prompt refused the connection`);
    expect(err.retryable).toBe(true);
  });

  it('a renderer that never answers is a "timeout"', async () => {
    const fake = await fakeComfy();
    fake.server.hang = true;
    const err = await failure(new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), { ...FAST, requestTimeoutMs: 150 }).render(planned(10)));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not answer within 0.2 s/);
  });

  it('a render that does not finish in time is a "timeout", and ComfyUI is told to stop', async () => {
    const fake = await fakeComfy();
    const client = new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), { ...FAST, renderTimeoutMs: 20 });
    // 10,000 steps take 13 s on the fake's clock: the client gives up first.
    const err = await failure(client.render(planned(10_000)));
    expect(err.code).toBe('timeout');
    expect(fake.interrupts).toBe(1);
  });

  it("a workflow ComfyUI rejects is 'rejected' with its node_errors in the message", async () => {
    const fake = await fakeComfy();
    fake.faults.rejectWorkflow = true;
    const err = await failure(new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST).render(planned(10)));
    expect(err.code).toBe('rejected');
    expect(err.message).toContain("rejected the workflow: Prompt outputs failed validation — node 4 CheckpointLoaderSimple: Value not in list (ckpt_name: 'missing.safetensors' not in [])");
    expect(err.retryable).toBe(false);
  });

  it("the fake's own validation answers node_errors for a value out of range, as validate_inputs does", async () => {
    const fake = await fakeComfy();
    const err = await failure(new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST).render(planned(20_000)));
    expect(err.code).toBe('rejected');
    expect(err.message).toContain('node 3 KSampler: Value 20000 bigger than max of 10000 (steps)');
    const unknown = sdxlWorkflow() as Record<string, { class_type: string; inputs: Record<string, unknown> }>;
    unknown['4']!.class_type = 'CheckpointLoaderFancy';
    const err2 = await failure(new ComfyUiClient(fake.url, parseApiWorkflow(unknown), FAST).render(planned(10)));
    expect(err2.message).toContain('Cannot execute because node CheckpointLoaderFancy does not exist.');
  });

  it('an execution error in the history is "execution", an out-of-memory is "out-of-memory"', async () => {
    const fake = await fakeComfy();
    const client = new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST);
    fake.faults.executionError = 'error';
    const err = await failure(client.render(planned(10)));
    expect(err.code).toBe('execution');
    expect(err.message).toContain('failed in node 3 (KSampler): RuntimeError: mat1 and mat2 shapes cannot be multiplied');
    fake.faults.executionError = 'out-of-memory';
    const oom = await failure(client.render(planned(10)));
    expect(oom.code).toBe('out-of-memory');
    expect(oom.message).toContain('ran out of GPU memory in node 3 (KSampler): torch.OutOfMemoryError: Allocation on device');
  });

  it('an image that cannot be read is "bad-image"', async () => {
    const fake = await fakeComfy();
    fake.faults.unreadableImage = true;
    const err = await failure(new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST).render(planned(10)));
    expect(err.code).toBe('bad-image');
    expect(err.message).toContain('is not a PNG, JPEG or WebP');
  });

  it('an answer larger than the image limit is cut off ("too-large")', async () => {
    const fake = await fakeComfy();
    fake.faults.oversizedImageBytes = 4 * 1024 * 1024;
    const err = await failure(new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), { ...FAST, maxBytes: 1024 * 1024 }).render(planned(10)));
    expect(err.code).toBe('too-large');
    expect(err.message).toContain('more than 1 MB, the limit');
  });

  it('a redirect to another address is refused without contacting it', async () => {
    const fake = await fakeComfy();
    const elsewhere = await startFakeServer((_req, res) => void res.end('x'));
    fakes.push(elsewhere);
    fake.faults.redirectViewTo = `${elsewhere.url}/steal`;
    const err = await failure(new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST).render(planned(10)));
    expect(err.code).toBe('redirect');
    expect(err.message).toContain(`redirected to ${elsewhere.url}, another address`);
    expect(elsewhere.requests).toEqual([]);
  });

  it('a renderer that dies mid-sweep fails the next render as "unreachable"; the renders before it are whole', async () => {
    const fake = await fakeComfy();
    fake.faults.dieAfterRenders = 2;
    const client = new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST);
    const first = await client.render(planned(10));
    const second = await client.render(planned(20));
    expect(readGenerationMetadata(first.bytes).ok && readGenerationMetadata(second.bytes).ok).toBe(true);
    const err = await failure(client.render(planned(30)));
    expect(err.code).toBe('unreachable');
    expect(fake.server.dead).toBe(true);
  });

  it('cancelling a render interrupts ComfyUI and drops the prompt from its queue', async () => {
    const fake = await fakeComfy();
    const client = new ComfyUiClient(fake.url, parseApiWorkflow(sdxlWorkflow()), FAST);
    const controller = new AbortController();
    const rendering = client.render(planned(5_000), { signal: controller.signal });
    while (!fake.server.requests.some((r) => r.startsWith('GET /history/'))) await new Promise((r) => setTimeout(r, 2));
    controller.abort();
    const err = await failure(rendering);
    expect(err.code).toBe('cancelled');
    expect(fake.interrupts).toBe(1);
    expect(fake.server.requests.filter((r) => r === 'POST /queue')).toHaveLength(1);
    expect(fake.rendered).toEqual([]);
  });
});
