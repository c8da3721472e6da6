import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

let t: TestContext;
beforeEach(async () => {
  t = await createTestApp();
});

const CSV = 'model,steps,score\nflux-dev,30,7.5\nflux-dev,20,6\n';

describe('/import page', () => {
  it('shows a form with a file input and a progress bar, its script and data, and no inline script', async () => {
    const res = await request(t.app).get('/import');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<a href="/import" aria-current="page">Import</a>');
    expect(res.text).toMatch(/<form method="post" action="\/import" enctype="multipart\/form-data"/);
    expect(res.text).toContain('<input id="import-file" type="file" name="file" accept=".csv,.json,.ndjson,.jsonl" required>');
    expect(res.text).toContain('<progress id="import-progress"');
    expect(res.text).toContain('<script src="/static/import-upload.js" defer></script>');
    const config = res.text.match(/<script type="application\/json" id="import-config">(.*?)<\/script>/)![1]!;
    expect(JSON.parse(config)).toMatchObject({ endpoint: '/api/v1/import', mediaTypes: { csv: 'text/csv' } });
    for (const script of res.text.match(/<script[^>]*>/g)!) expect(script).toMatch(/src=|type="application\/json"/);
    expect((await request(t.app).get('/static/import-upload.js')).status).toBe(200);
  });

  it('imports a file posted as a plain multipart form and shows the result', async () => {
    const res = await request(t.app).post('/import').attach('file', Buffer.from(CSV), 'renders.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/import?imported=1');
    expect(await countRows(t.db, 'runs')).toBe(2);
    const page = await request(t.app).get(res.headers.location!);
    expect(page.text).toContain('Imported 2 runs from renders.csv (import #1)');
  });

  it('lists the bad rows and writes nothing', async () => {
    const res = await request(t.app).post('/import').attach('file', Buffer.from(`${CSV}flux-dev,<b>x</b>,7\n`), 'renders.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('1 of 3 rows are invalid; nothing was imported');
    expect(res.text).toContain('<li><strong>line 4: steps</strong>: steps must be a whole number from 1 to 10000</li>');
    expect(await countRows(t.db, 'runs')).toBe(0);
  });

  it('answers a large upload rejected at its header without waiting for a stalled form', async () => {
    const body = `model,steps,colour\n${'flux-dev,30,red\n'.repeat(200_000)}`;
    const res = await request(t.app).post('/import').attach('file', Buffer.from(body), 'big.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('unknown column &#39;colour&#39;');
    expect(await countRows(t.db, 'runs')).toBe(0);
  });

  it('refuses the same file twice, and imports it with the force box ticked', async () => {
    await request(t.app).post('/import').attach('file', Buffer.from(CSV), 'a.csv').expect(303);
    const again = await request(t.app).post('/import').attach('file', Buffer.from(CSV), 'b.csv');
    expect(again.status).toBe(409);
    expect(again.text).toMatch(/already imported as import #1/);
    expect(again.text).toContain('name="force" value="1" checked');
    await request(t.app).post('/import').field('force', '1').attach('file', Buffer.from(CSV), 'b.csv').expect(303);
    expect(await countRows(t.db, 'runs')).toBe(4);
  });

  it('asks for a file, and for a name it can tell the format of', async () => {
    const none = await request(t.app).post('/import').field('force', '0');
    expect(none.status).toBe(422);
    expect(none.text).toContain('Choose a file to import');
    const txt = await request(t.app).post('/import').attach('file', Buffer.from(CSV), 'renders.txt');
    expect(txt.status).toBe(422);
    expect(txt.text).toContain('Cannot tell the format of renders.txt');
    const json = await request(t.app).post('/import').attach('file', Buffer.from('[{"model":"flux-pro","steps":40}]'), 'r.json');
    expect(json.status).toBe(303);
  });
});
