import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/test-app.js';
import { listen, type RawServer } from './raw-http.js';

// Property-based fuzzing of every API body and query string: whatever arrives gets a 2xx or a clear 4xx
// (never a 5xx, never a crash), a refused request writes nothing, and what was accepted is valid.

const NUM_RUNS = 120;
const TABLES = ['runs', 'run_tags', 'models', 'experiments', 'judgements', 'images', 'run_metrics'] as const;

let ctx: TestContext;
let server: RawServer;
const stats = { inputs: 0, accepted: 0, refused: 0 };

beforeAll(async () => {
  ctx = await createTestApp();
  server = await listen(ctx.app);
  // Something to point ids at: a few runs, an experiment.
  const runs = [10, 20, 30, 40].map((steps) => ({ model: 'flux-dev', steps, score: steps / 10, durationMs: steps * 100 }));
  expect((await post('/api/v1/runs', JSON.stringify(runs))).status).toBe(201);
  expect((await post('/api/v1/experiments', JSON.stringify({ model: 'flux-dev', steps: '10,20', randomSeeds: 1, prompts: ['p'] }))).status).toBe(201);
});
afterAll(async () => {
  await server.close();
  await ctx.db.destroy();
  console.log(`API fuzzing: ${stats.inputs} inputs tried, ${stats.accepted} accepted (2xx), ${stats.refused} refused (4xx), 0 server errors`);
});

function post(path: string, body: string | Buffer, type = 'application/json', method = 'POST') {
  return server.request(method, path, { headers: { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)) }, body });
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    out[table] = Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  }
  return out;
}

/** Sends one input and checks the answer: 2xx, or a 4xx with a JSON error naming the problem and nothing written. */
async function check(send: () => Promise<{ status: number; body: string }>, what: string): Promise<void> {
  const before = await counts();
  const res = await send();
  stats.inputs++;
  expect(res.status, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  if (res.status >= 400) {
    stats.refused++;
    const error = (JSON.parse(res.body) as { error?: { code?: string; message?: string } }).error;
    expect(error?.code, what).toEqual(expect.any(String));
    expect(error?.message?.length, what).toBeGreaterThan(5);
    expect(await counts(), `${what} was refused but wrote`).toEqual(before);
  } else {
    stats.accepted++;
  }
  expect(ctx.errors, what).toEqual([]);
}

// ------------------------------------------------------------------------------------------ generators

/** Values a field might be sent: valid-looking, edge and hostile. */
const anyValue = fc.oneof(
  fc.integer({ min: -5, max: 12_000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(0, 1, 10, 30, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, '', ' ', 'null', 'NaN', 'Infinity', '1e3', '0x1f', '18446744073709551615'),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(null, true, false, [], {}, ['a'], { $gt: 1 }, '<script>', "'; drop table runs; --", '../../etc/passwd', '\u0000', '\ud800'),
  fc.constant(undefined),
);
const slugLike = fc.oneof(fc.constantFrom('flux-dev', 'flux-schnell', 'nope', '', 'FLUX-DEV', '../x', 'a'.repeat(300)), fc.string({ maxLength: 20 }));

function partialRecord(fields: Record<string, fc.Arbitrary<unknown>>) {
  return fc.record(fields, { requiredKeys: [] });
}

const runBody = partialRecord({
  model: slugLike,
  steps: anyValue,
  durationMs: anyValue,
  score: anyValue,
  seed: anyValue,
  prompt: anyValue,
  negativePrompt: anyValue,
  sampler: anyValue,
  guidance: anyValue,
  width: anyValue,
  height: anyValue,
  hardware: anyValue,
  useCase: fc.oneof(fc.constantFrom('portrait', 'landscape', 'other', 'concept-art', 'PORTRAIT', ''), anyValue),
  phase: fc.oneof(fc.constantFrom('draft', 'refine', 'final', 'x'), anyValue),
  tags: fc.oneof(fc.array(fc.string({ maxLength: 70 }), { maxLength: 5 }), anyValue),
  notes: anyValue,
  createdAt: fc.oneof(fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-13-45', 'yesterday'), anyValue),
  extra: anyValue,
});
const modelBody = partialRecord({
  slug: slugLike,
  name: anyValue,
  notes: anyValue,
  minSteps: anyValue,
  recommendedLow: anyValue,
  recommendedHigh: anyValue,
  maxSteps: anyValue,
  sweetSpot: anyValue,
});
const analyzeBody = partialRecord({
  points: fc.oneof(fc.array(partialRecord({ steps: anyValue, score: anyValue, durationMs: anyValue, seed: anyValue, prompt: anyValue }), { maxLength: 12 }), anyValue),
  delta: anyValue,
  rule: anyValue,
  higherIsBetter: anyValue,
});
const experimentBody = partialRecord({
  name: anyValue,
  model: slugLike,
  steps: fc.oneof(fc.constantFrom('10,20,30', '10-50 (+5)', '10-50 [9]', '1-10000 (+1)', '50-10', '10,,20', 'x'), fc.array(anyValue, { maxLength: 5 }), anyValue),
  seeds: fc.oneof(fc.integer({ min: -2, max: 2000 }), fc.array(anyValue, { maxLength: 4 }), anyValue),
  prompts: fc.oneof(fc.array(fc.string({ maxLength: 30 }), { maxLength: 4 }), anyValue),
  negativePrompt: anyValue,
  sampler: anyValue,
  guidance: anyValue,
  width: anyValue,
  height: anyValue,
  hardware: anyValue,
  useCase: anyValue,
  phase: anyValue,
  notes: anyValue,
});
const judgementBody = partialRecord({ runA: fc.oneof(fc.integer({ min: -1, max: 8 }), anyValue), runB: fc.oneof(fc.integer({ min: -1, max: 8 }), anyValue), outcome: fc.oneof(fc.constantFrom('a', 'b', 'tie'), anyValue), rater: anyValue });

/** A body as sent: the JSON of a generated object, any JSON at all, or bytes that are not JSON. */
function bodyFrom(structured: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: structured.map((v) => JSON.stringify(v) ?? '') },
    { weight: 2, arbitrary: fc.array(structured, { maxLength: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  );
}

/** A query string: known keys with hostile values, repeated keys, bracket syntax, raw junk. */
function queryFrom(keys: readonly string[]): fc.Arbitrary<string> {
  const value = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('1', '0', '-1', '10001', 'asc', 'desc', 'steps', 'score', 'flux-dev', '2026-01-01', 'x'.repeat(600), '%', '%zz', '%00', '[]'));
  const pair = fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.constantFrom('a[b]', '__proto__', 'constructor[prototype][x]', 'settings[view options][client]'), fc.string({ maxLength: 8 })), value);
  return fc.oneof(
    fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
    fc.array(pair, { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c))).join('&')),
  );
}

// ------------------------------------------------------------------------------------------ properties

describe('every API body', () => {
  const cases: [string, string, fc.Arbitrary<unknown>, string?][] = [
    ['POST', '/api/v1/runs', runBody],
    ['PATCH', '/api/v1/runs/2', runBody],
    ['POST', '/api/v1/models', modelBody],
    ['PATCH', '/api/v1/models/flux-dev', modelBody],
    ['POST', '/api/v1/analyze', analyzeBody],
    ['POST', '/api/v1/experiments', experimentBody],
    ['POST', '/api/v1/judgements', judgementBody],
  ];
  for (const [method, path, structured] of cases) {
    it(`${method} ${path}: a 2xx or a clear 4xx, and nothing written when refused`, async () => {
      await fc.assert(
        fc.asyncProperty(bodyFrom(structured), async (body) => {
          await check(() => post(path, body, 'application/json', method), `${method} ${path} ${body.slice(0, 200)}`);
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }

  it('POST /api/v1/import: any CSV, JSON or NDJSON file is imported whole or refused whole', async () => {
    const csvCell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('flux-dev', '30', '7.5', '"', '""', '"a,b"', '=1+1', '\r', '\n', ''));
    const csv = fc.tuple(
      fc.oneof(fc.constant('model,steps,duration_ms,score,seed,prompt,tags'), fc.constant('model,steps'), fc.string({ maxLength: 40 })),
      fc.array(fc.array(csvCell, { minLength: 0, maxLength: 8 }).map((cells) => cells.join(',')), { maxLength: 6 }),
    ).map(([header, rows]) => [header, ...rows].join('\n'));
    const file = fc.oneof(
      csv.map((text) => ['text/csv', text] as const),
      fc.array(runBody, { maxLength: 5 }).map((rows) => ['application/json', JSON.stringify(rows)] as const),
      fc.array(runBody, { maxLength: 5 }).map((rows) => ['application/x-ndjson', rows.map((r) => JSON.stringify(r)).join('\n')] as const),
      fc.tuple(fc.constantFrom('text/csv', 'application/json', 'application/x-ndjson', 'text/plain', 'image/png', ''), fc.string({ maxLength: 80 })),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => ['text/csv', Buffer.from(bytes).toString('latin1')] as const),
    );
    await fc.assert(
      fc.asyncProperty(file, queryFrom(['filename', 'force']), async ([type, text], query) => {
        await check(() => post(`/api/v1/import?${query}`, text, type), `import ${type} ?${query} ${text.slice(0, 200)}`);
        // An import leaves nothing staged, whatever happened to it.
        const staged = await ctx.db.selectFrom('import_staging').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        expect(Number(staged.n)).toBe(0);
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });
});

describe('every query string', () => {
  const RUN_KEYS = ['model', 'stepsMin', 'stepsMax', 'phase', 'useCase', 'hardware', 'tag', 'q', 'experiment', 'sort', 'order', 'cursor', 'limit'];
  const ANALYSIS_KEYS = ['metric', 'delta', 'rule', 'hardware', 'useCase', 'phase', 'sampler', 'resolution', 'experiment', 'from', 'to', 'share', 'minGain'];
  const cases: [string, readonly string[]][] = [
    ['/api/v1/runs', RUN_KEYS],
    ['/api/v1/models/flux-dev/analysis', ANALYSIS_KEYS],
    ['/api/v1/models/flux-dev/history', ANALYSIS_KEYS],
    ['/api/v1/export/runs.csv', [...RUN_KEYS, 'format']],
    ['/api/v1/export/runs.ndjson', RUN_KEYS],
    ['/api/v1/export/settings.json', ['useCase', 'hardware', 'delta', 'metric']],
    ['/api/v1/experiments', ['limit', 'cursor']],
    ['/api/v1/experiments/1/report', ['metric', 'delta']],
    ['/api/v1/judgements', ['experiment', 'rater', 'limit']],
  ];
  for (const [path, keys] of cases) {
    it(`GET ${path}: a 2xx or a clear 4xx`, async () => {
      await fc.assert(
        fc.asyncProperty(queryFrom(keys), async (query) => {
          await check(() => server.request('GET', `${path}?${query}`), `GET ${path}?${query}`);
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }

  it('the pages answer any query string without a server error', async () => {
    const pages: [string, readonly string[]][] = [
      ['/runs', RUN_KEYS],
      ['/models/flux-dev', ANALYSIS_KEYS],
      ['/compare', ['models', 'metric', 'delta', 'budget', 'images', 'minutes', 'hardware']],
      ['/', ['x']],
      ['/import', ['imported']],
      ['/images', ['completed']],
      ['/rate', ['experiment', 'rater']],
      ['/experiments/1', ['metric']],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...pages).chain(([page, keys]) => queryFrom(keys).map((query) => `${page}?${query}`)), async (url) => {
        const res = await server.request('GET', url);
        stats.inputs++;
        expect(res.status, url).toBeLessThan(500);
        if (res.status < 400) stats.accepted++;
        else stats.refused++;
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('what was accepted', () => {
  it('is valid: every stored run and model satisfies the rules the API states', async () => {
    const bad = await sql<{ id: number }>`
      select id from runs
      where steps < 1 or steps > 10000 or steps <> cast(steps as integer)
         or (score is not null and (score < 0 or score > 10))
         or (duration_ms is not null and duration_ms < 0)
         or (width is not null and width < 1) or (height is not null and height < 1)
         or (use_case is not null and use_case not in ('concept-art', 'portrait', 'landscape', 'other'))
         or (phase is not null and phase not in ('draft', 'refine', 'final'))`.execute(ctx.db);
    expect(bad.rows).toEqual([]);
    const orphans = await sql<{ n: number }>`select count(*) as n from run_tags where run_id not in (select id from runs)`.execute(ctx.db);
    expect(Number(orphans.rows[0]!.n)).toBe(0);
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(ctx.db);
    expect(integrity.rows).toEqual([{ integrity_check: 'ok' }]);
  });
});
