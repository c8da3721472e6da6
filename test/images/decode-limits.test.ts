import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../../src/services/concurrency-limit.js';
import { createTestApp, type TestContext } from '../helpers/test-app.js';
import { buildWebp } from './image-builders.js';

let dataDir: string;
let ctx: TestContext;
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-decode-'));
  ctx = await createTestApp({ SWEETSPOT_DATA_DIR: dataDir });
});
afterEach(async () => {
  await ctx.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// Finding 14 of issue #14: a 3.9 KB lossless WebP declaring 100 megapixels was accepted, and decoding
// it took 0.83 GB; five at once took the server from 220 MB to 803 MB.
describe('decoded pixels and concurrent decodes', () => {
  it('refuses a tiny WebP declaring 100 megapixels before decoding it, naming the limit, and stores nothing', async () => {
    const webp = buildWebp({ width: 10_000, height: 10_000 });
    expect(webp.length).toBeLessThan(4_000);
    const res = await request(ctx.app).post('/api/v1/images').attach('files', webp, { filename: 'huge.webp', contentType: 'image/webp' });
    expect(res.status).toBe(207);
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'pixel-bomb' } });
    expect(res.body.results[0].error.message).toContain('100 megapixels), over the limit of 40 megapixels');
    const images = await ctx.db.selectFrom('images').select('id').execute();
    expect(images).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'images'))).toBe(false);
  });

  it('runs at most the given number of jobs at once, the rest in arrival order', async () => {
    const limited = concurrencyLimit(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const jobs = [0, 1, 2, 3, 4].map((i) =>
      limited(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await new Promise<void>((open) => gates.push(open));
        running--;
        return i;
      }),
    );
    // Open each gate as it appears, one at a time, until all five jobs have run.
    for (let opened = 0; opened < 5; ) {
      await new Promise((r) => setImmediate(r));
      if (gates.length > opened) gates[opened++]!();
    }
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});
