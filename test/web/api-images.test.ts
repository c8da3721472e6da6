import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeImage } from '../../src/services/images.js';
import { modelDisplayName, normaliseModelName, slugifyModelName } from '../../src/services/model-names.js';
import { buildPng, ihdr, pngChunk, PNG_SIGNATURE, concat, tEXt } from '../images/image-builders.js';
import { a1111Parameters } from '../helpers/converging-renders.js';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/images');

interface ManifestEntry {
  file: string;
  sha256: string;
  expected: { steps: number; sampler: string; seed: number; cfg: number | null; model: string; width: number; height: number; prompt_starts_with: string };
  extra?: { guidance?: number };
}
const MANIFEST = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'MANIFEST.json'), 'utf8')) as ManifestEntry[];

let dataDir: string;
let ctx: TestContext;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-images-'));
  ctx = await createTestApp({ SWEETSPOT_DATA_DIR: dataDir });
});
afterEach(async () => {
  await ctx.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Every file under the data folder, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

function upload(files: { name: string; bytes: Buffer }[]) {
  let req = request(ctx.app).post('/api/v1/images');
  for (const f of files) req = req.attach('files', f.bytes, { filename: f.name, contentType: 'image/png' });
  return req;
}

const fixture = (name: string) => ({ name, bytes: fs.readFileSync(path.join(FIXTURES, name)) });

async function imageCount(): Promise<number> {
  const row = await ctx.db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('model name matching', () => {
  it('strips folders and weight extensions, folds FLUX.1 and punctuation', () => {
    expect(modelDisplayName('models\\unet/flux1-dev.safetensors')).toBe('flux1-dev');
    expect(normaliseModelName('flux1-dev.safetensors')).toBe('fluxdev');
    expect(normaliseModelName('flux-dev')).toBe('fluxdev');
    expect(normaliseModelName('FLUX.1 Dev')).toBe('fluxdev');
    expect(normaliseModelName('FLUX.1 [schnell]')).toBe(normaliseModelName('flux-schnell'));
    expect(normaliseModelName('flux1-dev-fp8.safetensors')).toBe('fluxdevfp8');
    expect(normaliseModelName('sd15')).toBe('sd15');
    expect(slugifyModelName('realistic_realisticVisionV20_v20')).toBe('realistic_realisticvisionv20_v20');
    expect(slugifyModelName('v1-5-pruned-emaonly.ckpt')).toBe('v1-5-pruned-emaonly');
    expect(slugifyModelName('Ünïcode Model (v2)!')).toBe('unicode-model-v2');
    expect(slugifyModelName('***')).toBe('model');
  });
});

describe('POST /api/v1/images with the real files', () => {
  it('makes each readable file a run with the values of the MANIFEST, and stores it content-addressed with a thumbnail', async () => {
    const res = await upload(MANIFEST.map((m) => fixture(m.file)));
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(MANIFEST.length);
    expect(ctx.errors).toEqual([]);

    for (const entry of MANIFEST) {
      const result = res.body.results.find((r: { file: string }) => r.file === entry.file);
      expect(result, entry.file).toMatchObject({ ok: true, status: 'created', created: true, sha256: entry.sha256 });
      expect(result.runId).toEqual(expect.any(Number));
      const run = (await request(ctx.app).get(`/api/v1/runs/${result.runId}`)).body;
      const e = entry.expected;
      expect(run, entry.file).toMatchObject({
        steps: e.steps,
        seed: String(e.seed),
        sampler: e.sampler,
        width: e.width,
        height: e.height,
        guidance: entry.extra?.guidance ?? e.cfg,
        source: 'png',
        durationMs: null,
        score: null,
        model: result.model,
      });
      expect(run.prompt.startsWith(e.prompt_starts_with), entry.file).toBe(true);

      const ext = entry.file.endsWith('.jpg') ? 'jpg' : 'png';
      const stored = path.join(dataDir, 'images', entry.sha256.slice(0, 2), `${entry.sha256}.${ext}`);
      expect(fs.readFileSync(stored).equals(fixture(entry.file).bytes)).toBe(true);
      const thumb = await sharp(path.join(dataDir, 'thumbs', entry.sha256.slice(0, 2), `${entry.sha256}.webp`)).metadata();
      expect(thumb.format).toBe('webp');
      expect(Math.max(thumb.width!, thumb.height!)).toBeLessThanOrEqual(320);
    }
    // Nothing left in the temporary folder.
    expect(filesUnder(path.join(dataDir, 'tmp'))).toEqual([]);
  });

  it('maps the ComfyUI FLUX file ("flux1-dev.safetensors") to the seeded flux-dev and remembers the name', async () => {
    const res = await upload([fixture('comfyui__flux_dev_unetloader_samplercustomadvanced.png')]);
    expect(res.body.results[0]).toMatchObject({ model: 'flux-dev', modelCreated: false });
    const alias = await ctx.db.selectFrom('model_aliases').selectAll().where('alias', '=', 'flux1-dev.safetensors').executeTakeFirst();
    expect(alias).toBeDefined();
    const page = await request(ctx.app).get('/model-aliases');
    expect(page.status).toBe(200);
    expect(page.text).toContain('flux1-dev.safetensors');
  });

  it('creates a model for an unknown model name, and the next file with that name reuses it', async () => {
    const before = await countRows(ctx.db, 'models');
    const first = await upload([fixture('a1111__sd-webui_v1.10.1_iTXt.png')]);
    expect(first.body.results[0]).toMatchObject({ model: 'waiillustrioussdxl_v160', modelCreated: true });
    expect(await countRows(ctx.db, 'models')).toBe(before + 1);
    const model = (await request(ctx.app).get('/api/v1/models/waiillustrioussdxl_v160')).body;
    expect(model.name).toBe('waiIllustriousSDXL_v160');
    // The SwarmUI JPEG names the same model: no second model.
    const second = await upload([fixture('swarmui__exif_usercomment_utf16le.jpg')]);
    expect(second.body.results[0]).toMatchObject({ model: 'waiillustrioussdxl_v160', modelCreated: false });
    expect(await countRows(ctx.db, 'models')).toBe(before + 1);
  });

  it('does not duplicate the same bytes uploaded twice', async () => {
    const file = fixture('a1111__duck_tEXt_cropped1x1.png');
    const first = (await upload([file])).body.results[0];
    const files = filesUnder(dataDir);
    const again = await upload([{ name: 'renamed.png', bytes: file.bytes }, file]);
    expect(again.status).toBe(200);
    for (const r of again.body.results) {
      expect(r).toMatchObject({ ok: true, status: 'duplicate', created: false, imageId: first.imageId, runId: first.runId, sha256: first.sha256 });
    }
    expect(await countRows(ctx.db, 'runs')).toBe(1);
    expect(await imageCount()).toBe(1);
    expect(filesUnder(dataDir)).toEqual(files);
  });

  it('stores the same bytes sent in two parallel uploads once', async () => {
    const file = fixture('a1111__sd-webui_v1.10.1_iTXt.png');
    const [one, two] = await Promise.all([upload([file]), upload([file])]);
    const statuses = [one.body.results[0].status, two.body.results[0].status].sort();
    expect(statuses).toEqual(['created', 'duplicate']);
    expect(one.body.results[0].runId).toBe(two.body.results[0].runId);
    expect(await countRows(ctx.db, 'runs')).toBe(1);
    expect(await imageCount()).toBe(1);
    expect(ctx.errors).toEqual([]);
  });

  it('stores a file without metadata and lists it to complete; the form makes its run', async () => {
    const plain = { name: 'plain.png', bytes: buildPng({ width: 16, height: 16 }) };
    const noModel = { name: 'no-model.png', bytes: buildPng({ width: 8, height: 8, before: [tEXt('parameters', 'a dog\nSteps: 20, Sampler: Euler, Seed: 6')] }) };
    const noSteps = { name: 'bad-steps.png', bytes: buildPng({ width: 8, height: 8, before: [tEXt('parameters', 'a cat\nSteps: 20000, Sampler: Euler, Seed: 5, Model: flux1-dev')] }) };
    const res = await upload([plain, noSteps, noModel]);
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ ok: true, status: 'incomplete', runId: null, created: true });
    expect(res.body.results[0].message).toMatch(/No generation settings/);
    expect(res.body.results[1]).toMatchObject({ ok: true, status: 'incomplete', runId: null });
    expect(res.body.results[1].message).toMatch(/cannot make a run \(steps: steps must be a whole number from 1 to 10000\)/);
    expect(res.body.results[2]).toMatchObject({ ok: true, status: 'incomplete', runId: null });
    expect(res.body.results[2].message).toMatch(/does not name its model/);
    expect(await countRows(ctx.db, 'runs')).toBe(0);

    const page = await request(ctx.app).get('/images');
    expect(page.status).toBe(200);
    expect(page.text).toContain('To complete (3)');
    const sha = res.body.results[1].sha256 as string;
    expect(page.text).toContain(`/images/${sha}/complete`);

    const form = await request(ctx.app).get(`/images/${sha}/complete`);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<option value="flux-dev"\s+selected/); // guessed from the file's model name
    expect(form.text).toContain('value="5"'); // the seed it did carry

    const bad = await request(ctx.app).post(`/images/${sha}/complete`).type('form').send({ model: 'flux-dev', steps: '0' });
    expect(bad.status).toBe(422);
    const done = await request(ctx.app).post(`/images/${sha}/complete`).type('form').send({ model: 'flux-dev', steps: '28', seed: '5', prompt: 'a cat' });
    expect(done.status).toBe(303);
    const runId = Number(done.headers.location!.match(/completed=(\d+)/)![1]);
    const run = (await request(ctx.app).get(`/api/v1/runs/${runId}`)).body;
    expect(run).toMatchObject({ model: 'flux-dev', steps: 28, seed: '5' });
    expect((await request(ctx.app).get('/images')).text).toContain('To complete (2)');
    const twice = await request(ctx.app).post(`/images/${sha}/complete`).type('form').send({ model: 'flux-dev', steps: '28' });
    expect(twice.status).toBe(409);
  });

  it('rejects a truncated file, a bad CRC, a pixel bomb and a text file named .png, each with a clear error, writing nothing', async () => {
    const duck = fixture('a1111__duck_tEXt_cropped1x1.png').bytes;
    const badCrc = Buffer.from(duck);
    badCrc[48] = badCrc[48]! ^ 0xff; // inside the tEXt chunk's data (its header ends at byte 41)
    const bomb = buildPng({ width: 100_000, height: 100_000 });
    const modelsBefore = await countRows(ctx.db, 'models');
    const versionsBefore = await ctx.db.selectFrom('models').select(['id', 'data_version']).execute();

    const res = await upload([
      { name: 'truncated.png', bytes: duck.subarray(0, duck.length - 30) },
      { name: 'bad-crc.png', bytes: badCrc },
      { name: 'bomb.png', bytes: bomb },
      { name: 'notes.png', bytes: Buffer.from('Steps: 20, Sampler: Euler\nthis is really a text file\n') },
      { name: 'empty.png', bytes: Buffer.alloc(0) },
    ]);
    expect(res.status).toBe(207);
    const byFile = Object.fromEntries(res.body.results.map((r: { file: string }) => [r.file, r]));
    expect(byFile['truncated.png']).toMatchObject({ ok: false, status: 'rejected', imageId: null, runId: null, error: { code: 'truncated' } });
    expect(byFile['bad-crc.png'].error.code).toBe('bad-crc');
    expect(byFile['bomb.png'].error).toMatchObject({ code: 'pixel-bomb', message: expect.stringMatching(/100000×100000.*before decoding/) });
    expect(byFile['notes.png'].error).toMatchObject({ code: 'unsupported-format', message: expect.stringMatching(/checked by its content/) });
    expect(byFile['empty.png'].error.code).toBe('empty');
    expect(res.body.rejected).toBe(5);

    expect(await imageCount()).toBe(0);
    expect(await countRows(ctx.db, 'runs')).toBe(0);
    expect(await countRows(ctx.db, 'models')).toBe(modelsBefore);
    expect(await ctx.db.selectFrom('models').select(['id', 'data_version']).execute()).toEqual(versionsBefore);
    expect(filesUnder(dataDir)).toEqual([]);
  });

  it('rejects a PNG whose header is fine but whose pixel data cannot be decoded, leaving no file', async () => {
    const broken = concat(PNG_SIGNATURE, ihdr(4, 4), pngChunk('IDAT', Buffer.from('not deflate data')), pngChunk('IEND'));
    const res = await upload([{ name: 'broken.png', bytes: broken }]);
    expect(res.status).toBe(207);
    expect(res.body.results[0].error.code).toBe('undecodable');
    expect(filesUnder(dataDir)).toEqual([]);
    expect(await imageCount()).toBe(0);
  });

  it('answers 400 for a request without files or not in multipart', async () => {
    const none = await request(ctx.app).post('/api/v1/images').field('note', 'x');
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('no_files');
    const json = await request(ctx.app).post('/api/v1/images').send({ files: [] });
    expect(json.status).toBe(400);
    expect(json.body.error.message).toMatch(/multipart\/form-data/);
  });

  it('applies the size limit of the service before reading anything', async () => {
    const result = await storeImage(ctx.db, ctx.config, fixture('a1111__duck_tEXt_cropped1x1.png').bytes, '../../etc/duck.png', { limits: { maxBytes: 100 } });
    expect(result).toMatchObject({ ok: false, file: 'duck.png', error: { code: 'too-large' } });
    const pixels = await storeImage(ctx.db, ctx.config, buildPng({ width: 2000, height: 2000 }), 'big.png', { limits: { maxPixels: 1_000_000 } });
    expect(pixels.error?.code).toBe('pixel-bomb');
    expect(filesUnder(dataDir)).toEqual([]);
  });

  it('GET /api/v1/images/:sha256 describes a stored image', async () => {
    const res = await upload([fixture('a1111__duck_tEXt_cropped1x1.png')]);
    const sha = res.body.results[0].sha256;
    const image = await request(ctx.app).get(`/api/v1/images/${sha}`);
    expect(image.status).toBe(200);
    expect(image.body).toMatchObject({ sha256: sha, mime: 'image/png', runId: res.body.results[0].runId, metadata: { tool: 'a1111', seed: '235284042' } });
    expect((await request(ctx.app).get('/api/v1/images/not-a-hash')).status).toBe(404);
  });
});

describe('serving images', () => {
  it('serves a stored file and its thumbnail by sha256, with their types', async () => {
    const res = await upload([fixture('a1111__duck_tEXt_cropped1x1.png')]);
    const sha = res.body.results[0].sha256;
    const file = await request(ctx.app).get(`/images/${sha}`).buffer(true);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(file.body as Buffer, fixture('a1111__duck_tEXt_cropped1x1.png').bytes)).toBe(0);
    const thumb = await request(ctx.app).get(`/images/${sha}/thumb`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
  });

  it('never escapes the data folder, whatever the path', async () => {
    fs.writeFileSync(path.join(dataDir, 'secret.txt'), 'root:x:0:0');
    await upload([fixture('a1111__duck_tEXt_cropped1x1.png')]);
    const attempts = [
      '/images/../secret.txt',
      '/images/..%2fsecret.txt',
      '/images/%2e%2e%2fsecret.txt',
      '/images/%252e%252e%252fsecret.txt',
      '/images/..%5csecret.txt',
      '/images/..\\secret.txt',
      '/images/....//....//etc/passwd',
      '/images/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/images/%2e%2e/thumb',
      `/images/${'a'.repeat(64)}`,
      `/images/${'A'.repeat(64)}`,
      `/images/${'a'.repeat(63)}/thumb`,
      '/images/7c76e634f1290150909c3d7f96951361cbbc88e1a3df1349fcf8d4c522000306%00.png',
      '/images/7c76e634f1290150909c3d7f96951361cbbc88e1a3df1349fcf8d4c522000306/..%2f..%2fsecret.txt',
    ];
    for (const url of attempts) {
      const res = await request(ctx.app).get(url);
      expect([400, 404], url).toContain(res.status);
      expect(res.text, url).not.toContain('root:x');
    }
  });
});

describe('pages', () => {
  it('the upload works without JavaScript (multipart form) and shows per-file results, escaped', async () => {
    const page = await request(ctx.app).get('/images');
    expect(page.status).toBe(200);
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toContain('<script src="/static/image-upload.js" defer></script>');
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    const res = await request(ctx.app)
      .post('/images')
      .attach('files', fixture('comfyui__flux_dev_unetloader_samplercustomadvanced.png').bytes, { filename: 'flux.png' })
      .attach('files', Buffer.from('not an image'), { filename: '<img src=x onerror=alert(1)>.png' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('flux.png');
    expect(res.text).toContain('href="/models/flux-dev"');
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;.png');
    expect(res.text).not.toContain('<img src=x');
  });

  it('the model names page edits a mapping and merges a created model into another', async () => {
    await upload([fixture('comfyui__sd15_hypernetwork_ksampler.png')]);
    const created = 'v1-5-pruned-emaonly';
    expect((await request(ctx.app).get(`/api/v1/models/${created}`)).status).toBe(200);

    const mapped = await request(ctx.app).post('/model-aliases').type('form').send({ alias: 'sd15-custom.safetensors', model: created });
    expect(mapped.status).toBe(200);
    expect(mapped.text).toContain('sd15-custom.safetensors');
    const unknown = await request(ctx.app).post('/model-aliases').type('form').send({ alias: 'x', model: 'nope' });
    expect(unknown.status).toBe(422);

    await request(ctx.app).post('/api/v1/models').send({ slug: 'sd15', name: 'Stable Diffusion 1.5' }).expect(201);
    const versionBefore = (await ctx.db.selectFrom('models').select('data_version').where('slug', '=', 'sd15').executeTakeFirstOrThrow()).data_version;
    const merged = await request(ctx.app).post('/model-aliases/merge').type('form').send({ from: created, into: 'sd15' });
    expect(merged.status).toBe(200);
    expect(merged.text).toMatch(/1 run and 2 names moved/);
    expect((await request(ctx.app).get(`/api/v1/models/${created}`)).status).toBe(404);
    const runs = (await request(ctx.app).get('/api/v1/runs')).body.runs;
    expect(runs.map((r: { model: string }) => r.model)).toEqual(['sd15']);
    const after = (await ctx.db.selectFrom('models').select('data_version').where('slug', '=', 'sd15').executeTakeFirstOrThrow()).data_version;
    expect(after).toBeGreaterThan(versionBefore);
    // The file's name now leads to the merged model.
    const aliases = await ctx.db.selectFrom('model_aliases').innerJoin('models', 'models.id', 'model_aliases.model_id').select(['alias', 'slug']).execute();
    expect(aliases).toEqual(expect.arrayContaining([
      { alias: 'v1-5-pruned-emaonly.ckpt', slug: 'sd15' },
      { alias: 'sd15-custom.safetensors', slug: 'sd15' },
    ]));
    const same = await request(ctx.app).post('/model-aliases/merge').type('form').send({ from: 'sd15', into: 'sd15' });
    expect(same.status).toBe(422);
  });

  it('a parameters text with a prompt in A1111 layout reaches the run exactly', async () => {
    const text = a1111Parameters({ prompt: 'a lighthouse, "storm"', steps: 12, seed: 42, model: 'flux1-dev.safetensors', width: 8, height: 8 });
    const res = await upload([{ name: 'lh.png', bytes: buildPng({ width: 8, height: 8, before: [tEXt('parameters', text)] }) }]);
    const run = (await request(ctx.app).get(`/api/v1/runs/${res.body.results[0].runId}`)).body;
    expect(run).toMatchObject({ model: 'flux-dev', steps: 12, seed: '42', prompt: 'a lighthouse, "storm"', negativePrompt: 'blurry', guidance: 7, sampler: 'Euler a' });
  });

  it('a render of a planned sweep fills its planned run instead of adding one', async () => {
    const plan = await request(ctx.app)
      .post('/api/v1/experiments')
      .send({ name: 'sweep', model: 'flux-dev', steps: '10,20', seeds: ['42'], prompts: ['a lighthouse at dusk'] });
    expect(plan.status).toBe(201);
    const planned = (await request(ctx.app).get('/api/v1/runs').query({ experiment: plan.body.id, stepsMin: 20 })).body.runs[0];
    const before = await countRows(ctx.db, 'runs');
    const text = a1111Parameters({ prompt: 'a lighthouse at dusk', steps: 20, seed: 42, model: 'flux1-dev.safetensors', width: 8, height: 8 });
    const res = await upload([{ name: 'planned.png', bytes: buildPng({ width: 8, height: 8, before: [tEXt('parameters', text)] }) }]);
    expect(res.body.results[0].runId).toBe(planned.id);
    expect(await countRows(ctx.db, 'runs')).toBe(before);
    const image = await ctx.db.selectFrom('runs').select('image_id').where('id', '=', planned.id).executeTakeFirstOrThrow();
    expect(image.image_id).toBe(res.body.results[0].imageId);
  });
});
