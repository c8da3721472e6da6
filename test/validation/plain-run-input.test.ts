import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPlainRunBatch, readPlainRunInput } from '../../src/validation/plain-run-input.js';
import { runBatchSchema, runInputSchema } from '../../src/validation/run-input.js';

const typical = {
  model: 'flux-dev',
  steps: 28,
  durationMs: 19_140.5,
  score: 8.4,
  seed: 1_234_567,
  prompt: 'a lighthouse on a cliff at dusk',
  negativePrompt: null,
  sampler: 'euler',
  guidance: 3.5,
  width: 1024,
  height: 1024,
  hardware: 'RTX 4090',
  useCase: 'concept-art',
  phase: 'final',
  tags: ['sweep', 'night'],
  notes: 'second pass',
  createdAt: '2026-11-25T14:30:00.000Z',
};

describe('readPlainRunInput', () => {
  it('reads a run whose values are already in their final form, exactly as the schema does', () => {
    const fast = readPlainRunInput(typical);
    expect(fast).toEqual({ ...typical, seed: '1234567' });
    expect(fast).toEqual(runInputSchema.parse(typical));
    expect(readPlainRunInput({ model: 'sdxl', steps: 30 })).toEqual({ model: 'sdxl', steps: 30 });
    expect(readPlainRunInput({ model: 'sdxl', steps: 30, seed: '98765432109876543210', score: null })).toEqual({
      model: 'sdxl',
      steps: 30,
      seed: '98765432109876543210',
      score: null,
    });
  });

  it('leaves to the schema whatever needs coercing, cleaning up or an error message', () => {
    for (const other of [
      { ...typical, steps: '28' }, // a number as text: the schema coerces it
      { ...typical, prompt: '   ' }, // a blank: the schema reads it as null
      { ...typical, seed: ' 42' },
      { ...typical, tags: 'Sweep, night' },
      { ...typical, tags: ['Sweep'] },
      { ...typical, tags: ['a', 'a'] },
      { ...typical, createdAt: '2026-11-25 14:30' },
      { ...typical, steps: 0 },
      { ...typical, steps: 28.5 },
      { ...typical, score: 11 },
      { ...typical, useCase: 'poster' },
      { ...typical, colour: 'red' },
      { model: 'flux-dev' },
      { steps: 20 },
      { ...typical, model: 'Flux Dev' },
      null,
      [],
      'flux-dev',
      Object.assign(Object.create({ inherited: true }) as object, { model: 'flux-dev', steps: 20 }),
      JSON.parse('{"model":"flux-dev","steps":20,"__proto__":{"x":1}}') as unknown,
    ]) {
      expect(readPlainRunInput(other)).toBeUndefined();
    }
  });

  it('never answers differently from the schema (property)', () => {
    const values = fc.oneof(
      fc.constantFrom(null, undefined, '', ' ', '  x ', 'flux-dev', 'Flux', 'euler', 'draft', 'final', 'portrait', 'poster', 'sweep', 'A', '12', '-7', '1e3', 'NaN'),
      fc.constantFrom('2026-11-25T14:30:00.000Z', '2026-11-25T14:30:00Z', '2026-02-30T00:00:00.000Z', '9999-12-31T23:59:59.999Z'),
      fc.integer({ min: -100, max: 70_000 }),
      fc.double({ noNaN: false }),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -0, 604_800_000, 604_800_001, 10, 10.0001),
      fc.string({ maxLength: 8 }),
      fc.array(fc.constantFrom('sweep', 'Sweep', ' sweep', 'night', '', 'a b', '-x', 7), { maxLength: 4 }),
      fc.constant('x'.repeat(101)),
    );
    const keys = fc.constantFrom(
      'model', 'steps', 'durationMs', 'score', 'seed', 'prompt', 'negativePrompt', 'sampler', 'guidance',
      'width', 'height', 'hardware', 'useCase', 'phase', 'tags', 'notes', 'createdAt', 'extra',
    );
    const runs = fc.tuple(fc.dictionary(keys, values, { maxKeys: 8 }), fc.constantFrom('flux-dev', 'sdxl', 3, undefined), fc.option(fc.integer({ min: -2, max: 10_002 })))
      .map(([fields, model, steps]) => ({ ...(model === undefined ? {} : { model }), ...(steps === null ? {} : { steps }), ...fields }));
    let readFast = 0;
    fc.assert(
      fc.property(runs, (run) => {
        const fast = readPlainRunInput(run);
        if (fast === undefined) return;
        readFast++;
        const schema = runInputSchema.safeParse(run);
        expect(schema.success).toBe(true);
        expect(fast).toEqual(schema.data);
      }),
      { numRuns: 3000 },
    );
    // The property says something only if the fast path was taken often enough.
    expect(readFast).toBeGreaterThan(100);
  });
});

describe('readPlainRunBatch', () => {
  it('reads a batch only when every run in it is plain', () => {
    const batch = [typical, { model: 'sdxl', steps: 30 }];
    expect(readPlainRunBatch(batch)).toEqual(runBatchSchema.parse(batch));
    expect(readPlainRunBatch([typical, { ...typical, steps: '30' }])).toBeUndefined();
    expect(readPlainRunBatch([])).toBeUndefined();
    expect(readPlainRunBatch(Array.from({ length: 10_001 }, () => ({ model: 'sdxl', steps: 30 })))).toBeUndefined();
    expect(readPlainRunBatch(typical)).toBeUndefined();
  });
});
