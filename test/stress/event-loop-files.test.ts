import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJpeg, buildPng, samplerChainGraph, tEXt, zTXt } from '../images/image-builders.js';
import { measureWhile, startInProcess, type InProcessServer } from './event-loop.js';

// Issue #14, "the event loop stays free": while each hostile file or heavy request of findings 1, 2, 6
// and 7 is being answered, a cheap request keeps answering and the event loop's delay stays under 1 s
// at its maximum (perf_hooks.monitorEventLoopDelay). The bound is generous on purpose; the figures
// printed go in the README's "Limits".

const MAX_DELAY_MS = 1000;
let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess();
});
afterAll(async () => {
  await server?.close();
});

function upload(files: { name: string; bytes: Buffer }[]): Promise<Response> {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([f.bytes]), f.name);
  return fetch(`${server.base}/api/v1/images`, { method: 'POST', body: form });
}

describe('the event loop stays free under hostile files and heavy requests', () => {
  it('finding 1: PNGs of 20,000 empty tEXt chunks and JPEGs of 20,000 one-byte comments', async () => {
    const png = buildPng({ before: Array.from({ length: 20_000 }, () => tEXt('a', '')) });
    const jpeg = buildJpeg({ comment: Array.from({ length: 20_000 }, () => 'a') });
    const statuses: number[] = [];
    const figures = await measureWhile('finding 1 (repeated chunks)', server.base, async () => {
      const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => upload([{ name: `a${i}.png`, bytes: png }, { name: `a${i}.jpg`, bytes: jpeg }])));
      for (const res of answers) {
        statuses.push(res.status);
        const body = (await res.json()) as { results: { error?: { code: string } }[] };
        expect(body.results.map((r) => r.error?.code)).toEqual(['too-many-chunks', 'too-many-chunks']);
      }
    });
    expect(statuses).toEqual([207, 207, 207, 207]);
    expect(figures.cheapFailures).toEqual([]);
    expect(figures.cheapAnswered).toBeGreaterThan(0);
    expect(figures.maxDelayMs).toBeLessThan(MAX_DELAY_MS);
  });

  it('finding 2: ComfyUI sampler chains at and over the node limit, under every parameters key', async () => {
    const over = buildPng({ before: [zTXt('prompt', samplerChainGraph(2_000))] });
    const chain = samplerChainGraph(1_000);
    const atLimit = buildPng({ before: ['prompt', 'parameters', 'UserComment', 'Comment', 'Description'].map((key) => zTXt(key, chain)) });
    const figures = await measureWhile('finding 2 (sampler chains)', server.base, async () => {
      const answers = await Promise.all(Array.from({ length: 3 }, (_, i) => upload([{ name: `o${i}.png`, bytes: over }, { name: `l${i}.png`, bytes: atLimit }])));
      for (const res of answers) {
        const body = (await res.json()) as { results: { error?: { code: string } }[] };
        expect(body.results.map((r) => r.error?.code)).toEqual(['too-many-chunks', 'too-many-chunks']);
      }
    });
    expect(figures.cheapFailures).toEqual([]);
    expect(figures.cheapAnswered).toBeGreaterThan(0);
    expect(figures.maxDelayMs).toBeLessThan(MAX_DELAY_MS);
  });

  it('finding 6: step lists of "(" × 100,000 + ")x"', async () => {
    const steps = `${'('.repeat(100_000)})x`;
    const figures = await measureWhile('finding 6 (step-list regex)', server.base, async () => {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${server.base}/api/v1/experiments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model: 'flux-dev', seeds: 2, prompts: ['a fox'], steps }) }),
        ),
      );
      for (const res of answers) {
        expect(res.status).toBe(422);
        expect((await res.text()).length).toBeLessThan(2000);
      }
    });
    expect(figures.cheapFailures).toEqual([]);
    expect(figures.maxDelayMs).toBeLessThan(MAX_DELAY_MS);
  });

  it('finding 7: POST /analyze with 10,000 step levels', async () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ steps: i + 1, score: 8.6 - 5 * Math.exp(-(i + 1) / 10) }));
    let status = 0;
    const figures = await measureWhile('finding 7 (10,000 levels)', server.base, async () => {
      const res = await fetch(`${server.base}/api/v1/analyze`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ points }) });
      status = res.status;
      await res.arrayBuffer();
    });
    // 200 (computed in a worker thread), 422 (a level cap) or 503 (the worker's time limit): never a held loop.
    expect([200, 422, 503]).toContain(status);
    expect(figures.cheapFailures).toEqual([]);
    expect(figures.cheapAnswered).toBeGreaterThan(0);
    expect(figures.maxDelayMs).toBeLessThan(MAX_DELAY_MS);
  });
});
