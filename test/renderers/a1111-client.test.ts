import { afterEach, describe, expect, it } from 'vitest';
import { readGenerationMetadata } from '../../src/images/index.js';
import { A1111Client } from '../../src/renderers/a1111-client.js';
import type { PlannedRender } from '../../src/renderers/planned-render.js';
import { RendererError } from '../../src/renderers/renderer-error.js';
import { startFakeA1111, type FakeA1111 } from '../helpers/fake-a1111.js';
import { renderSimilarity } from '../helpers/render-similarity.js';

const fakes: FakeA1111[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fakeA1111(): Promise<FakeA1111> {
  const fake = await startFakeA1111();
  fakes.push(fake);
  return fake;
}

const FAST = { requestTimeoutMs: 2000, renderTimeoutMs: 10_000 };

function planned(steps: number, overrides: Partial<PlannedRender> = {}): PlannedRender {
  return { steps, seed: '42', prompt: 'a red fox in fresh snow', negativePrompt: 'blurry', sampler: 'Euler a', guidance: 7, width: 1024, height: 1024, checkpoint: 'sd_xl_base_1.0', ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<RendererError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RendererError);
  return err as RendererError;
}

describe('A1111Client against the fake A1111', () => {
  it('sends steps, seed, sampler, CFG, size and checkpoint, and answers the decoded PNG with its infotext, timed by X-Process-Time', async () => {
    const fake = await fakeA1111();
    const result = await new A1111Client(fake.url, FAST).render(planned(25, { seed: '1234' }));
    expect(fake.rendered).toEqual([expect.objectContaining({ steps: 25, seed: '1234', sampler: 'Euler a', checkpoint: 'sd_xl_base_1.0.safetensors [31e35c80fc]' })]);
    expect(result.mime).toBe('image/png');
    expect(result.timingSource).toBe('generator');
    expect(result.durationMs).toBe(380 + 25 * 670);
    expect(result.metadata).toMatchObject({ generator: 'a1111', steps: 25, seed: 1234, sampler_name: 'Euler a', sd_model_name: 'sd_xl_base_1.0', sd_model_hash: '31e35c80fc' });
    expect(String(result.metadata.infotext)).toContain('Steps: 25, Sampler: Euler a');
    const read = readGenerationMetadata(result.bytes);
    expect(read.ok && read.metadata).toMatchObject({ tool: 'a1111', steps: 25, seed: '1234', sampler: 'Euler a', model: 'sd_xl_base_1.0', cfg: 7 });
    expect(read.ok && Object.keys(read.texts)).toEqual(['parameters']);
  });

  it('keeps a 64-bit seed exact both ways', async () => {
    const fake = await fakeA1111();
    const result = await new A1111Client(fake.url, FAST).render(planned(10, { seed: '18446744073709551615' }));
    expect(fake.rendered[0]!.seed).toBe('18446744073709551615');
    expect(result.metadata.seed).toBe('18446744073709551615');
  });

  it('falls back to wall time when X-Process-Time is missing', async () => {
    const fake = await fakeA1111();
    fake.faults.sendProcessTime = false;
    const result = await new A1111Client(fake.url, FAST).render(planned(10));
    expect(result.timingSource).toBe('wall');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('returns renders whose pixels converge with steps', async () => {
    const fake = await fakeA1111();
    const client = new A1111Client(fake.url, FAST);
    const renders = new Map<number, Uint8Array>();
    for (const steps of [5, 15, 30, 50]) renders.set(steps, (await client.render(planned(steps))).bytes);
    const [s5, s15, s30] = await Promise.all([5, 15, 30].map((s) => renderSimilarity(renders.get(s)!, renders.get(50)!)));
    expect(s5!).toBeLessThan(s15!);
    expect(s15!).toBeLessThan(s30!);
  });

  it('has no device name to offer (null), but checks the API is there and lists the checkpoints', async () => {
    const fake = await fakeA1111();
    const client = new A1111Client(fake.url, FAST);
    expect(await client.readHardware()).toBeNull();
    expect(await client.listCheckpoints()).toEqual(['sd_xl_base_1.0.safetensors [31e35c80fc]', 'flux1-dev-bnb-nf4-v2.safetensors [f0770152ec]']);
    expect(fake.server.requests).toEqual(['GET /sdapi/v1/options', 'GET /sdapi/v1/sd-models']);
  });
});

describe('A1111Client faults', () => {
  it('refused connection → "unreachable"; no answer → "timeout"', async () => {
    const fake = await fakeA1111();
    fake.server.hang = true;
    const timeout = await failure(new A1111Client(fake.url, { requestTimeoutMs: 100, renderTimeoutMs: 150 }).render(planned(10)));
    expect(timeout.code).toBe('timeout');
    const down = await fakeA1111();
    await down.refuseConnections();
    const refused = await failure(new A1111Client(down.url, FAST).render(planned(10)));
    expect(refused.code).toBe('unreachable');
    expect(refused.message).toContain(`${down.url}/sdapi/v1/txt2img refused the connection`);
  });

  it('an unknown sampler is "rejected" with A1111\'s own words', async () => {
    const fake = await fakeA1111();
    const err = await failure(new A1111Client(fake.url, FAST).render(planned(10, { sampler: 'euler_ancestral' })));
    expect(err.code).toBe('rejected');
    expect(err.message).toContain('rejected the render: HTTPException: Sampler not found');
  });

  it('a crash is "execution", a CUDA out-of-memory is "out-of-memory"', async () => {
    const fake = await fakeA1111();
    const client = new A1111Client(fake.url, FAST);
    fake.faults.executionError = 'error';
    expect((await failure(client.render(planned(10)))).code).toBe('execution');
    fake.faults.executionError = 'out-of-memory';
    const oom = await failure(client.render(planned(10)));
    expect(oom.code).toBe('out-of-memory');
    expect(oom.message).toContain('OutOfMemoryError: CUDA out of memory');
  });

  it('an unreadable image is "bad-image"; an answer beyond the cap is "too-large"', async () => {
    const fake = await fakeA1111();
    fake.faults.unreadableImage = true;
    expect((await failure(new A1111Client(fake.url, FAST).render(planned(10)))).code).toBe('bad-image');
    fake.faults.unreadableImage = false;
    fake.faults.oversizedAnswerBytes = 3 * 1024 * 1024;
    const big = await failure(new A1111Client(fake.url, { ...FAST, maxBytes: 512 * 1024 }).render(planned(10)));
    expect(big.code).toBe('too-large');
  });

  it('dies mid-sweep: the renders before are whole, the next is "unreachable"', async () => {
    const fake = await fakeA1111();
    fake.faults.dieAfterRenders = 1;
    const client = new A1111Client(fake.url, FAST);
    expect((await client.render(planned(10))).mime).toBe('image/png');
    expect((await failure(client.render(planned(20)))).code).toBe('unreachable');
  });

  it('cancelling aborts the request and sends /sdapi/v1/interrupt', async () => {
    const fake = await fakeA1111();
    const controller = new AbortController();
    const rendering = new A1111Client(fake.url, FAST).render(planned(5_000), { signal: controller.signal });
    while (!fake.server.requests.includes('POST /sdapi/v1/txt2img')) await new Promise((r) => setTimeout(r, 2));
    controller.abort();
    expect((await failure(rendering)).code).toBe('cancelled');
    expect(fake.interrupts).toBe(1);
  });
});
