import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyzePoints } from '../../src/services/analysis.js';
import { InputError } from '../../src/services/errors.js';
import { sharedWorkerPool } from '../../src/workers/worker-pool.js';
import { createTestApp, type TestContext } from '../helpers/test-app.js';
import { concat, ihdr, PNG_SIGNATURE, pngChunk } from '../images/image-builders.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** One point per step count from 1 to `levels`, on a saturating curve. */
function manyLevels(levels: number) {
  return Array.from({ length: levels }, (_, i) => ({ steps: i + 1, score: 8.6 - 5 * Math.exp(-(i + 1) / 10) }));
}

// Finding 7 of issue #14: POST /analyze with 10,000 step levels held the event loop for 17 s.
describe('POST /api/v1/analyze with many step levels', () => {
  it('computes a 10,000-level analysis in the worker pool, not on the event loop', { timeout: 150_000 }, async () => {
    const run = vi.spyOn(sharedWorkerPool(), 'run');
    const res = await request(t.app).post('/api/v1/analyze').send({ points: manyLevels(10_000) });
    // Answered either way (#13 may cap the levels with a 422 naming it): never by the request thread's maths.
    expect([200, 422]).toContain(res.status);
    if (res.status === 200) {
      expect(run).toHaveBeenCalledWith('analyzeSteps', expect.objectContaining({ input: expect.objectContaining({ levels: expect.any(Array) }) }));
      expect(res.body.levels ?? res.body.runs).toBeDefined();
    } else {
      expect(res.body.error.message).toMatch(/level/i);
    }
  });
});

// Finding 15 of issue #14: /analyze with a score of 1e200 answered "levelStatsFromSums requires finite sums".
describe('errors name the user\'s field, never an internal function', () => {
  it('answers a score of 1e200 with a 422 naming points[0].score', async () => {
    const points = [10, 20, 30].map((steps) => ({ steps, score: steps === 10 ? 1e200 : 5 }));
    const res = await request(t.app).post('/api/v1/analyze').send({ points }).expect(422);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'points[0].score' }));
    expect(JSON.stringify(res.body)).not.toMatch(/levelStatsFromSums|requires|sumSq/);
  });

  it('turns a refusal of the maths into a message about score and durationMs', async () => {
    // Past validation (the CLI builds its requests itself): sums that overflow reach the maths.
    const points = [10, 20, 30].flatMap((steps) => [1, 2].map(() => ({ steps, score: 1e200 })));
    const failure = analyzePoints({ points, delta: 1 }) // off the 0–10 scale a delta is required (#13);
    await expect(failure).rejects.toBeInstanceOf(InputError);
    await expect(failure).rejects.toThrow(/score and durationMs must be ordinary finite numbers/);
    await expect(failure).rejects.not.toThrow(/levelStatsFromSums|requires/);
  });

  it('answers an image the decoder refuses without the decoder\'s own words', async () => {
    const broken = concat(PNG_SIGNATURE, ihdr(4, 4), pngChunk('IDAT', Buffer.from('not deflate data')), pngChunk('IEND'));
    const res = await request(t.app).post('/api/v1/images').attach('files', broken, { filename: 'broken.png', contentType: 'image/png' });
    expect(res.body.results[0].error).toMatchObject({ code: 'undecodable', message: expect.stringContaining('could not be decoded') });
    expect(res.body.results[0].error.message).not.toMatch(/vips|spng|libpng|zlib|inflate|Error:/i);
  });
});
