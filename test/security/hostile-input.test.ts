import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';
import { listen, type RawServer } from './raw-http.js';

// Named hostile inputs: path traversal, script injection into pages and chart JSON, EJS options
// through query strings, spreadsheet formulas, oversized and deeply nested JSON, broken multipart.

const XSS = '</script><script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/images/a1111__duck_tEXt_cropped1x1.png');

let ctx: TestContext;
let server: RawServer;
let dataDir: string;
let imageSha = '';

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-hostile-'));
  ctx = await createTestApp({ SWEETSPOT_DATA_DIR: dataDir });
  server = await listen(ctx.app);
  const api = request(ctx.app);
  expect((await api.post('/api/v1/models').send({ slug: 'xss-model', name: XSS, notes: XSS })).status).toBe(201);
  const text = { prompt: XSS, negativePrompt: XSS, sampler: XSS, hardware: XSS, notes: XSS };
  const runs = [10, 20, 30, 40, 50].flatMap((steps, i) => [
    { model: 'xss-model', steps, score: 3 + i, durationMs: 1000 * steps, seed: '1', ...text },
    { model: 'xss-model', steps, score: 3.5 + i, durationMs: 1000 * steps + 50, seed: '2', ...text },
  ]);
  expect((await api.post('/api/v1/runs').send(runs)).status).toBe(201);
  const experiment = await api
    .post('/api/v1/experiments')
    .send({ name: XSS, model: 'xss-model', steps: '10,20,30', seeds: ['7'], prompts: [XSS, `${XSS} 2`], negativePrompt: XSS, sampler: XSS, hardware: XSS, notes: XSS });
  expect(experiment.status).toBe(201);
  expect((await api.post('/api/v1/judgements').send({ runA: 1, runB: 3, outcome: 'a', rater: XSS })).status).toBe(201);
  const upload = await api.post('/api/v1/images').attach('files', fs.readFileSync(FIXTURE), `${XSS}.png`);
  expect(upload.status).toBe(200);
  imageSha = upload.body.results[0].sha256;
});
afterAll(async () => {
  await server.close();
  await ctx.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('path traversal', () => {
  const DOTS = ['../', '..%2f', '%2e%2e/', '%2e%2e%2f', '%252e%252e%252f', '..%252f', '..\\', '..%5c', '%2e%2e%5c', '....//', '%c0%ae%c0%ae/', '.%2e/'];
  const TARGETS = ['package.json', 'src/app.ts', 'etc/passwd', 'data/sweetspot.db'];
  const ROUTES = [
    '/static/',
    '/static/x/',
    '/vendor/chart.js/',
    '/images/',
    '/images/aa/',
    '/api/v1/images/',
    '/api/v1/runs/',
    '/runs/',
    '/models/',
    '/api/v1/models/',
    '/experiments/',
    '/api/v1/experiments/',
  ];
  const LEAKS = /"name": "sweetspot"|createApp|root:x:0:0|SQLite format 3/;

  it('no id or file route reads outside its folder, however the dots are written', async () => {
    let tried = 0;
    for (const route of ROUTES) {
      for (const dots of DOTS) {
        for (const target of TARGETS) {
          for (const depth of [1, 4]) {
            const url = `${route}${dots.repeat(depth)}${target}`;
            const res = await server.request('GET', url);
            tried++;
            expect(res.status, url).toBeGreaterThanOrEqual(400);
            expect(res.status, url).toBeLessThan(500);
            expect(res.body, url).not.toMatch(LEAKS);
          }
        }
      }
      // The id/file names that follow: thumbnails, edit pages, plans.
      for (const suffix of ['/thumb', '/edit', '/complete', '/plan.csv', '/gallery']) {
        const url = `${route}..%2f..%2fpackage.json${suffix}`;
        const res = await server.request('GET', url);
        tried++;
        expect(res.status, url).toBeLessThan(500);
        expect(res.body, url).not.toMatch(LEAKS);
      }
    }
    console.log(`path traversal: ${tried} requests over ${ROUTES.length} routes, none left its folder`);
  });

  it('an import never keeps a path in its file name', async () => {
    const res = await request(ctx.app).post('/api/v1/import?filename=..%2F..%2Fetc%2Fpasswd').type('text/csv').send('model,steps\nflux-dev,3\n');
    expect(res.status).toBe(201);
    expect(res.body.import.filename).toBe('passwd');
    const win = await request(ctx.app).post('/api/v1/import?filename=..%5C..%5Cboot.ini&force=1').type('text/csv').send('model,steps\nflux-dev,3\n');
    expect(win.body.import.filename).not.toMatch(/\.\.|[\\/]/);
  });

  it('the static routes still serve their own files', async () => {
    expect((await server.request('GET', '/static/style.css')).status).toBe(200);
    expect((await server.request('GET', '/vendor/chart.js/chart.umd.js')).status).toBe(200);
    expect((await server.request('GET', `/images/${imageSha}`)).status).toBe(200);
  });
});

describe('script injection', () => {
  const PAGES = () => [
    '/',
    '/runs',
    '/runs?q=%3C%2Fscript%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '/runs/1/edit',
    '/models',
    '/models/xss-model',
    '/models/xss-model/edit',
    '/models/xss-model/gallery',
    '/compare',
    '/compare?models=xss-model,flux-dev',
    '/experiments',
    '/experiments/1',
    '/rate',
    '/rate?experiment=1',
    '/images',
    `/images/${imageSha}`,
    '/model-aliases',
    '/runs/new?model=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '/no-such-page-%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  ];

  it('every user text field is escaped in every page, and no text closes a JSON data block', async () => {
    let blocks = 0;
    let pages = 0;
    for (const page of PAGES()) {
      const res = await server.request('GET', page);
      expect(res.status, page).toBeLessThan(500);
      pages++;
      expect(res.body, page).not.toContain('<script>alert(');
      expect(res.body, page).not.toContain('<img src=x');
      // Every <script> is a data block or a file of ours, and each data block is whole JSON.
      for (const match of res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
        const [, attributes, content] = match as unknown as [string, string, string];
        if (/src="\/(static|vendor)\//.test(attributes)) {
          expect(content, page).toBe('');
          continue;
        }
        expect(attributes, page).toMatch(/type="application\/json"/);
        expect(() => JSON.parse(content), `${page}: ${content.slice(0, 80)}`).not.toThrow();
        blocks++;
      }
    }
    // The hostile names do reach the pages (escaped), including the chart data.
    const report = await server.request('GET', '/models/xss-model');
    expect(report.body).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    expect(report.body).toMatch(/\\u003c\/script>|\\u003c\/script\\u003e/);
    console.log(`script injection: ${pages} pages checked, ${blocks} JSON data blocks parsed whole`);
  });
});

describe('EJS options through query strings', () => {
  it('have no effect on any page', async () => {
    const injections = [
      'settings[view%20options][outputFunctionName]=x;globalThis.__sweetspotPwned=1;//',
      'settings[view%20options][client]=1&settings[view%20options][escapeFunction]=globalThis.__sweetspotPwned%3D1',
      'settings%5Bview%20options%5D%5BoutputFunctionName%5D=x%3BglobalThis.__sweetspotPwned%3D1%3B%2F%2F',
      'cache=1&filename=/etc/passwd&root=/&views=/etc',
      '__proto__[outputFunctionName]=x;globalThis.__sweetspotPwned=1;//',
      'constructor[prototype][outputFunctionName]=x;globalThis.__sweetspotPwned=1;//',
    ];
    let tried = 0;
    for (const page of ['/', '/runs', '/models', '/models/xss-model', '/compare', '/experiments', '/rate', '/images', '/import', '/runs/new', '/nope']) {
      for (const injection of injections) {
        const res = await server.request('GET', `${page}?${injection}`);
        tried++;
        expect(res.status, `${page}?${injection}`).toBeLessThan(500);
        expect(res.body).toMatch(/^<!doctype html>/);
        expect(res.body).not.toMatch(/root:x:0:0/);
      }
    }
    expect((globalThis as { __sweetspotPwned?: unknown }).__sweetspotPwned).toBeUndefined();
    expect(({} as Record<string, unknown>).outputFunctionName).toBeUndefined();
    console.log(`EJS option injection: ${tried} requests, no effect`);
  });
});

describe('spreadsheet formulas in CSV exports', () => {
  it('neutralises every text cell that a spreadsheet would run', async () => {
    const formulas = ['=1+1', '+SUM(A1:A9)', '-2+3', '@cmd', '=HYPERLINK("http://evil.example","x")', "'=already"];
    const api = request(ctx.app);
    expect((await api.post('/api/v1/models').send({ slug: 'formula-model', name: '=HYPERLINK("http://evil.example")', notes: '+1' })).status).toBe(201);
    for (const f of formulas) {
      const res = await api.post('/api/v1/runs').send({ model: 'formula-model', steps: 10, score: 5, prompt: f, negativePrompt: f, sampler: f, hardware: f, notes: f });
      expect(res.status).toBe(201);
    }
    const exports = ['/api/v1/export/runs.csv?model=formula-model', '/api/v1/export/settings.csv', '/api/v1/experiments/1/plan.csv'];
    let cells = 0;
    for (const url of exports) {
      const res = await api.get(url);
      expect(res.status, url).toBe(200);
      const rows = parse(res.text, { relax_column_count: true }) as string[][];
      for (const row of rows.slice(1)) {
        for (const cell of row) {
          cells++;
          if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(cell)) continue; // a number stays a number
          expect(cell, `${url}: ${cell}`).not.toMatch(/^[=+\-@\t\r]/);
        }
      }
    }
    console.log(`CSV formulas: ${cells} exported cells checked`);
  });
});

describe('oversized, deeply nested and malformed bodies', () => {
  it('answers deep nesting with a clean 4xx and writes nothing', async () => {
    const before = await countRows(ctx.db, 'runs');
    for (const depth of [1_000, 100_000]) {
      for (const body of ['['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), `{"model":"flux-dev","steps":${'['.repeat(depth)}${']'.repeat(depth)}}`]) {
        for (const route of ['/api/v1/runs', '/api/v1/models', '/api/v1/analyze', '/api/v1/experiments', '/api/v1/judgements']) {
          const res = await request(ctx.app).post(route).type('json').send(body);
          expect(res.status, `${route} depth ${depth}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${route} depth ${depth}`).toBeLessThan(500);
        }
        const imported = await request(ctx.app).post('/api/v1/import').type('application/json').send(body);
        expect(imported.status).toBeGreaterThanOrEqual(400);
        expect(imported.status).toBeLessThan(500);
      }
    }
    expect(await countRows(ctx.db, 'runs')).toBe(before);
  });

  it('answers malformed multipart with a 4xx and stores nothing', async () => {
    const images = async () => Number((await ctx.db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await images();
    const boundary = 'XyZ';
    const bodies: [string, string, string | Buffer][] = [
      ['no boundary', 'multipart/form-data', '--x\r\n\r\n'],
      ['not multipart', 'text/plain', 'hello'],
      ['garbage', `multipart/form-data; boundary=${boundary}`, 'garbage without any boundary'],
      ['cut short', `multipart/form-data; boundary=${boundary}`, `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG`],
      ['bad part headers', `multipart/form-data; boundary=${boundary}`, `--${boundary}\r\nContent-Disposition\r\n\r\nx\r\n--${boundary}--\r\n`],
      ['empty', `multipart/form-data; boundary=${boundary}`, ''],
      ['only the end', `multipart/form-data; boundary=${boundary}`, `--${boundary}--\r\n`],
      ['field, no file', `multipart/form-data; boundary=${boundary}`, `--${boundary}\r\nContent-Disposition: form-data; name="files"\r\n\r\nx\r\n--${boundary}--\r\n`],
      ['huge header', `multipart/form-data; boundary=${boundary}`, `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${'a'.repeat(100_000)}"\r\n\r\nx\r\n--${boundary}--\r\n`],
    ];
    for (const [what, type, body] of bodies) {
      for (const route of ['/api/v1/images', '/images', '/import']) {
        const res = await server.request('POST', route, { headers: { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)) }, body });
        expect(res.status, `${what} → ${route}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${what} → ${route}`).toBeLessThan(500);
      }
    }
    expect(await images()).toBe(before);
    expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual([]); // no temporary file outlives its request
    console.log(`malformed multipart: ${bodies.length * 3} uploads refused with 4xx, nothing stored`);
  });

  it('answers oversized JSON with 413 on every JSON route', async () => {
    const big = JSON.stringify({ notes: 'x'.repeat(16 * 1024 * 1024 + 10) });
    for (const route of ['/api/v1/runs', '/api/v1/models', '/api/v1/analyze', '/api/v1/experiments', '/api/v1/judgements']) {
      const res = await request(ctx.app).post(route).type('json').send(big);
      expect(res.status, route).toBe(413);
    }
  });
});
