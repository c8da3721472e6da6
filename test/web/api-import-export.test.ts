import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

const HEADER = 'model,steps,duration_ms,score,seed,prompt,negative_prompt,sampler,guidance,width,height,hardware,use_case,phase,tags,notes,created_at';

function postImport(body: string | Buffer, contentType = 'text/csv', query = '') {
  return request(t.app).post(`/api/v1/import${query}`).set('Content-Type', contentType).send(body);
}

async function stagingRows(): Promise<number> {
  const row = await t.db.selectFrom('import_staging').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const tags = await t.db.selectFrom('import_staging_tags').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n) + Number(tags.n);
}

async function expectNothingWritten() {
  expect(await countRows(t.db, 'runs')).toBe(0);
  expect(await countRows(t.db, 'run_tags')).toBe(0);
  expect(await stagingRows()).toBe(0);
}

/** Every field set, including text a spreadsheet would run as a formula, unicode, quotes and commas. */
const FULL_RUNS = [
  {
    model: 'flux-dev',
    steps: 30,
    durationMs: 20480.5,
    score: 7.25,
    seed: '18446744073709551615',
    prompt: '=HYPERLINK("http://evil.example","click"), a fox',
    negativePrompt: '-blurry, "lowres"',
    sampler: '+euler a',
    guidance: 3.5,
    width: 1024,
    height: 768,
    hardware: '@RTX 4090',
    useCase: 'portrait',
    phase: 'final',
    tags: ['studio', 'test run'],
    notes: 'Line one\nline two, with a comma; and "quotes" — ünïcödé 日本語 🦊',
    createdAt: '2026-01-02T03:04:05.678Z',
  },
  {
    model: 'flux-schnell',
    steps: 4,
    durationMs: 900,
    score: 0,
    seed: '-42',
    prompt: "'=already quoted",
    negativePrompt: '\ttab first',
    sampler: 'dpmpp_2m',
    guidance: 0,
    width: 512,
    height: 512,
    hardware: 'api',
    useCase: 'concept-art',
    phase: 'draft',
    tags: ['a'],
    notes: "'plain apostrophe",
    createdAt: '2026-01-02T03:04:06.000Z',
  },
  { model: 'recraft-v3', steps: 25, createdAt: '2026-01-03T00:00:00.000Z' },
];

async function logFullRuns() {
  const res = await request(t.app).post('/api/v1/runs').send(FULL_RUNS);
  expect(res.status).toBe(201);
}

describe('POST /api/v1/import (CSV)', () => {
  it('imports a CSV and answers 201 with the import and the count', async () => {
    const csv = `${HEADER}\nflux-dev,30,20000,7.5,,a fox,,,,,,,,,"x,y",,\nflux-dev,20,14000,6,,,,,,,,,,,,,\n`;
    const res = await postImport(csv, 'text/csv; charset=utf-8', '?filename=runs.csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ created: 2, import: { filename: 'runs.csv', format: 'csv', rows: 2 } });
    expect(res.body.import.sha256).toMatch(/^[0-9a-f]{64}$/);
    const runs = (await request(t.app).get('/api/v1/runs?sort=steps&order=desc')).body.runs;
    expect(runs.map((r: { steps: number }) => r.steps)).toEqual([30, 20]);
    expect(runs[0]).toMatchObject({ source: 'csv', prompt: 'a fox', tags: ['x', 'y'] });
    expect(await stagingRows()).toBe(0);
    const imports = await t.db.selectFrom('imports').selectAll().execute();
    expect(imports).toMatchObject([{ status: 'done', rows: 2, format: 'csv', filename: 'runs.csv' }]);
    const linked = await t.db.selectFrom('runs').select(['import_id', 'import_line']).orderBy('id').execute();
    expect(linked).toEqual([
      { import_id: imports[0]!.id, import_line: 2 },
      { import_id: imports[0]!.id, import_line: 3 },
    ]);
  });

  it('writes nothing when a row in the middle is bad, and names its line, column and reason', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 10; i++) lines.push(`flux-dev,${10 + i},1000,${i === 5 ? 11 : 7},,,,,,,,,,,,,`);
    const res = await postImport(lines.join('\n'));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('import_rejected');
    expect(res.body.error.message).toBe('1 of 10 rows are invalid; nothing was imported');
    // The header is line 1, so the sixth data row is line 7.
    expect(res.body.error.details).toEqual([
      { field: 'line 7: score', line: 7, column: 'score', message: 'score must be a number from 0 to 10' },
    ]);
    await expectNothingWritten();
    const [imported] = await t.db.selectFrom('imports').selectAll().execute();
    expect(imported).toMatchObject({ status: 'failed', rows: 10 });
  });

  it('reports every bad row (the first 100) and counts them all', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 300; i++) lines.push(i % 2 === 0 ? `flux-dev,${i + 1},,,,,,,,,,,,,,,` : `sdxl,0,,,,,,,,,,,,,,,`);
    const res = await postImport(lines.join('\r\n'));
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('150 of 300 rows are invalid; nothing was imported');
    expect(res.body.error.details).toHaveLength(100);
    expect(res.body.error.details[0]).toMatchObject({ line: 3, column: 'steps', message: 'steps must be a whole number from 1 to 10000' });
    await expectNothingWritten();
  });

  it('reports an unknown model slug as a row error', async () => {
    const res = await postImport(`${HEADER}\nflux-dev,30,,,,,,,,,,,,,,,\nmidjourney,30,,,,,,,,,,,,,,,\n`);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      { field: 'line 3: model', line: 3, column: 'model', message: "unknown model 'midjourney': use one of flux-dev, flux-pro, flux-schnell, recraft-v3 (or add it first)" },
    ]);
    await expectNothingWritten();
  });

  it('imports a CSV with a BOM, CRLF line ends and quoted newlines exactly', async () => {
    const csv =
      '\ufeffModel , STEPS,Duration_MS,score,seed,prompt,negative_prompt,sampler,guidance,width,height,hardware,use_case,phase,tags,notes,created_at\r\n' +
      'flux-dev,28,18760.25,8.5,18446744073709551615,"a lighthouse, at dusk\r\nsecond line ""quoted""",blurry,euler,3.5,1024,1536,RTX 4090,landscape,refine,"Sea, Dusk",ünïcödé ✓,2026-03-04T05:06:07.089Z\r\n' +
      'flux-pro,40,,,,,,,,,,,,,,,\r\n';
    const res = await postImport(Buffer.from(csv, 'utf8'));
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(2);
    const runs = (await request(t.app).get('/api/v1/runs?sort=steps&order=asc')).body.runs;
    expect(runs[0]).toMatchObject({
      model: 'flux-dev',
      steps: 28,
      durationMs: 18760.25,
      score: 8.5,
      seed: '18446744073709551615',
      prompt: 'a lighthouse, at dusk\r\nsecond line "quoted"',
      negativePrompt: 'blurry',
      sampler: 'euler',
      guidance: 3.5,
      width: 1024,
      height: 1536,
      hardware: 'RTX 4090',
      useCase: 'landscape',
      phase: 'refine',
      tags: ['dusk', 'sea'],
      notes: 'ünïcödé ✓',
      createdAt: '2026-03-04T05:06:07.089Z',
      source: 'csv',
    });
    expect(runs[1]).toMatchObject({ model: 'flux-pro', steps: 40, durationMs: null, score: null, seed: null, prompt: null, tags: [] });
    // The row after the quoted newline is named by the line it starts on.
    const bad = await postImport(csv.replace('flux-pro,40', 'flux-pro,x'));
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0]).toMatchObject({ line: 4, column: 'steps' });
  });

  it('rejects an unknown column, naming it, and a missing required column', async () => {
    const unknown = await postImport('model,steps,quality,colour\nflux-dev,30,7,red\n');
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('import_rejected');
    expect(unknown.body.error.message).toMatch(/unknown columns 'quality', 'colour'/);
    expect(unknown.body.error.details.map((d: { column: string }) => d.column)).toEqual(['quality', 'colour']);
    const missing = await postImport('model,score\nflux-dev,7\n');
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toMatch(/missing required column 'steps'/);
    await expectNothingWritten();
  });

  it('answers a header error at once on a large body, and reads the rest of it away', async () => {
    const body = `model,steps,colour\n${'flux-dev,30,red\n'.repeat(300_000)}`;
    const res = await postImport(body);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/unknown column 'colour'/);
    await expectNothingWritten();
    // The connection still works for the next request.
    expect((await postImport('model,steps\nflux-dev,30\n')).status).toBe(201);
  });

  it('rejects an empty file and a header-only file clearly', async () => {
    const empty = await postImport('');
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toBe('The file is empty: nothing was imported');
    const headerOnly = await postImport(`${HEADER}\r\n`);
    expect(headerOnly.status).toBe(422);
    expect(headerOnly.body.error.message).toMatch(/no rows/);
    const emptyJson = await postImport('[]', 'application/json');
    expect(emptyJson.status).toBe(422);
    expect(emptyJson.body.error.message).toMatch(/no rows/);
    await expectNothingWritten();
  });

  it('rejects a row with the wrong number of cells and a broken quote', async () => {
    const cells = await postImport('model,steps,score\nflux-dev,30\n');
    expect(cells.status).toBe(422);
    expect(cells.body.error.details[0]).toMatchObject({ line: 2, message: 'the row has 2 cells but the header has 3' });
    const quote = await postImport('model,steps,prompt\nflux-dev,30,"never closed\n');
    expect(quote.status).toBe(422);
    expect(quote.body.error.message).toMatch(/a quoted cell is never closed/);
    await expectNothingWritten();
  });

  it('answers 415 naming the accepted types for any other content type', async () => {
    const res = await postImport('model,steps\nflux-dev,30\n', 'text/plain');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(res.body.error.message).toMatch(/text\/csv, application\/json, application\/x-ndjson/);
    await expectNothingWritten();
  });

  it('detects the same file imported twice, and imports it again with force', async () => {
    const csv = `${HEADER}\nflux-dev,30,,,,,,,,,,,,,,,\nflux-dev,31,,,,,,,,,,,,,,,\n`;
    const first = await postImport(csv);
    expect(first.status).toBe(201);
    const again = await postImport(csv);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_imported');
    expect(again.body.error.message).toMatch(new RegExp(`already imported as import #${first.body.import.id} on \\d{4}-\\d\\d-\\d\\d`));
    expect(await countRows(t.db, 'runs')).toBe(2);
    expect(await stagingRows()).toBe(0);
    const forced = await postImport(csv, 'text/csv', '?force=1');
    expect(forced.status).toBe(201);
    expect(forced.body.import.sha256).toBe(first.body.import.sha256);
    expect(await countRows(t.db, 'runs')).toBe(4);
  });
});

describe('POST /api/v1/import (JSON and NDJSON)', () => {
  it('imports a JSON array, a { runs: [...] } object and NDJSON', async () => {
    const runs = [
      { model: 'flux-dev', steps: 30, score: 7, tags: ['json'] },
      { model: 'flux-dev', steps: 20, seed: 12 },
    ];
    expect((await postImport(JSON.stringify(runs), 'application/json')).body.created).toBe(2);
    expect((await postImport(JSON.stringify({ runs, note: 'ignored' }, null, 2), 'application/json')).body.created).toBe(2);
    const ndjson = `${runs.map((r) => JSON.stringify(r)).join('\r\n')}\n\n`;
    const res = await postImport(ndjson, 'application/x-ndjson');
    expect(res.status).toBe(201);
    expect(res.body.import.format).toBe('ndjson');
    const all = (await request(t.app).get('/api/v1/runs?limit=10')).body.runs;
    expect(all).toHaveLength(6);
    expect(new Set(all.map((r: { source: string }) => r.source))).toEqual(new Set(['json']));
  });

  it('imports a page of GET /api/v1/runs as it is', async () => {
    await logFullRuns();
    const page = await request(t.app).get('/api/v1/runs');
    await t.db.deleteFrom('runs').execute();
    const res = await postImport(JSON.stringify(page.body), 'application/json');
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(3);
  });

  it('names the line (and run) of bad JSON rows and writes nothing', async () => {
    const json = '[\n{"model":"flux-dev","steps":30},\n{"model":"flux-dev","steps":30,"colour":"red"},\n{"model":"flux-dev",\n "steps":-1},\n42\n]';
    const res = await postImport(json, 'application/json');
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('3 of 4 rows are invalid; nothing was imported');
    expect(res.body.error.details).toEqual([
      { field: 'line 3 (run 2): colour', line: 3, column: 'colour', message: "unknown field 'colour'" },
      { field: 'line 4 (run 3): steps', line: 4, column: 'steps', message: 'steps must be a whole number from 1 to 10000' },
      { field: 'line 6 (run 4)', line: 6, column: null, message: 'each run must be a JSON object' },
    ]);
    const ndjson = '{"model":"flux-dev","steps":30}\n{"model":"flux-dev",\n{"model":"flux-dev","steps":1}\n';
    const nd = await postImport(ndjson, 'application/x-ndjson');
    expect(nd.status).toBe(422);
    expect(nd.body.error.details[0]).toMatchObject({ field: 'line 2', line: 2 });
    expect(nd.body.error.details[0].message).toMatch(/not valid JSON/);
    await expectNothingWritten();
  });

  it('rejects JSON that is not an array of runs, or is cut short', async () => {
    for (const [body, pattern] of [
      ['"runs"', /array of runs/],
      ['{"items": []}', /no "runs" array/],
      ['[{"model":"flux-dev","steps":30}', /ends before the array is closed/],
      ['[{"model":"flux-dev","steps":30}] []', /unexpected text after the end/],
    ] as const) {
      const res = await postImport(body, 'application/json');
      expect(res.status, body).toBe(422);
      expect(res.body.error.message, body).toMatch(pattern);
    }
    await expectNothingWritten();
  });

  it('refuses a seed above 2^53 sent as a JSON number instead of rounding it', async () => {
    const res = await postImport('[{"model":"flux-dev","steps":30,"seed":18446744073709551615}]', 'application/json');
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].message).toMatch(/send seeds above 9007199254740991 as a string/);
  });
});

describe('GET /api/v1/export/runs.*', () => {
  it('answers each format with its content type and an attachment file name', async () => {
    await logFullRuns();
    const date = new Date().toISOString().slice(0, 10);
    for (const [format, type] of [
      ['csv', 'text/csv; charset=utf-8'],
      ['json', 'application/json; charset=utf-8'],
      ['ndjson', 'application/x-ndjson; charset=utf-8'],
    ] as const) {
      const res = await request(t.app).get(`/api/v1/export/runs.${format}`).buffer(true).parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString('utf8')));
        r.on('end', () => cb(null, text));
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="sweetspot-runs-${date}.${format}"`);
    }
  });

  it('writes the CSV columns in order and neutralises formula text, not numbers', async () => {
    await logFullRuns();
    const res = await request(t.app).get('/api/v1/export/runs.csv');
    const lines = res.text.split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(res.text).toContain(`flux-dev,30,20480.5,7.25,18446744073709551615,"'=HYPERLINK(""http://evil.example"",""click""), a fox","'-blurry, ""lowres""",'+euler a,3.5,1024,768,'@RTX 4090,portrait,final,"studio,test run","Line one\nline two`);
    // A negative seed is a number, not a formula; text already starting with an apostrophe gets one more.
    expect(res.text).toContain(`flux-schnell,4,900,0,-42,''=already quoted,'\ttab first,dpmpp_2m,0,512,512,api,concept-art,draft,a,'plain apostrophe,2026-01-02T03:04:06.000Z`);
    expect(res.text).toContain('recraft-v3,25,,,,,,,,,,,,,,,2026-01-03T00:00:00.000Z');
  });

  it('exports a JSON array and NDJSON of the run fields', async () => {
    await logFullRuns();
    const json = await request(t.app).get('/api/v1/export/runs.json');
    expect(JSON.parse(json.text)).toEqual(FULL_RUNS.map((r) => ({
      durationMs: null, score: null, seed: null, prompt: null, negativePrompt: null, sampler: null, guidance: null,
      width: null, height: null, hardware: null, useCase: null, phase: null, tags: [], notes: null, ...r,
    })));
    const nd = await request(t.app).get('/api/v1/export/runs.ndjson').buffer(true).parse((r, cb) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString('utf8')));
      r.on('end', () => cb(null, text));
    });
    const lines = (nd.body as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual(JSON.parse(json.text));
    const empty = await request(t.app).get('/api/v1/export/runs.json?model=flux-pro');
    expect(JSON.parse(empty.text)).toEqual([]);
  });

  it('applies the runs list filters and ignores paging', async () => {
    await logFullRuns();
    const byModel = await request(t.app).get('/api/v1/export/runs.csv?model=flux-schnell&limit=1&cursor=zzz&sort=steps');
    expect(byModel.text.trimEnd().split('\n')).toHaveLength(2);
    expect(byModel.text).toContain('flux-schnell,4');
    const byTag = JSON.parse((await request(t.app).get('/api/v1/export/runs.json?tag=studio')).text);
    expect(byTag.map((r: { steps: number }) => r.steps)).toEqual([30]);
    const bySteps = JSON.parse((await request(t.app).get('/api/v1/export/runs.json?stepsMin=5&phase=')).text);
    expect(bySteps.map((r: { steps: number }) => r.steps)).toEqual([30, 25]);
    const bad = await request(t.app).get('/api/v1/export/runs.json?stepsMin=none');
    expect(bad.status).toBe(422);
    const unknown = await request(t.app).get('/api/v1/export/runs.json?model=sdxl');
    expect(unknown.status).toBe(404);
  });

  it('streams many runs in batches, in id order', async () => {
    const batch = Array.from({ length: 4500 }, (_, i) => ({ model: 'flux-dev', steps: 1 + (i % 50), tags: i % 2 ? ['odd'] : [] }));
    for (let i = 0; i < batch.length; i += 1500) {
      await request(t.app).post('/api/v1/runs').send(batch.slice(i, i + 1500)).expect(201);
    }
    const nd = await request(t.app).get('/api/v1/export/runs.ndjson').buffer(true).parse((r, cb) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString('utf8')));
      r.on('end', () => cb(null, text));
    });
    const runs = (nd.body as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(runs).toHaveLength(4500);
    expect(runs.map((r) => r.steps)).toEqual(batch.map((b) => b.steps));
    expect(runs.filter((r) => r.tags.includes('odd'))).toHaveLength(2250);
  });
});

describe('export → import round trip', () => {
  it.each(['csv', 'json', 'ndjson'] as const)('gives back every field exactly (%s)', async (format) => {
    await logFullRuns();
    const contentType = { csv: 'text/csv', json: 'application/json', ndjson: 'application/x-ndjson' }[format];
    const exportText = async () =>
      (
        await request(t.app).get(`/api/v1/export/runs.${format}`).buffer(true).parse((r, cb) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (text += c));
          r.on('end', () => cb(null, text));
        })
      ).body as string;
    const first = await exportText();
    await t.db.deleteFrom('runs').execute();
    const res = await postImport(first, contentType);
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(FULL_RUNS.length);
    const second = await exportText();
    expect(second).toBe(first);
    const [run] = (await request(t.app).get('/api/v1/runs?model=flux-dev')).body.runs;
    expect(run).toMatchObject(FULL_RUNS[0]!);
  });
});
