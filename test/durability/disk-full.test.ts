import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { connectDatabase } from '../../src/db/connect.js';
import { a1111Parameters } from '../helpers/converging-renders.js';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';
import { buildPng, tEXt } from '../images/image-builders.js';

// A full disk while importing and while uploading: a clear error (507 "the disk is full", not a 500
// with a stack), and the database unharmed — integrity ok, nothing half-written, usable once there is room.
// The full disk is a size-limited SQLite file (PRAGMA max_page_count) and, where it can be mounted
// (as root), a small tmpfs under the data folder.

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/images/a1111__sd-webui_v1.10.1_iTXt.png');
let dir: string;
let ctx: TestContext;
let faults = 0;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-full-'));
  ctx = await createTestApp({ SWEETSPOT_DB: path.join(dir, 'db.sqlite'), SWEETSPOT_DATA_DIR: path.join(dir, 'data') });
  expect((await request(ctx.app).post('/api/v1/runs').send([10, 20, 30].map((steps) => ({ model: 'flux-dev', steps, tags: ['base'] })))).status).toBe(201);
});
afterEach(async () => {
  await ctx.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`disk full: ${faults} faults injected so far`);
});

/** Lets the database grow by only `pages` more pages (4 KiB each) from now on; with 0, fills what room is left. */
async function fillDatabase(pages: number): Promise<void> {
  if (pages === 0) await sql`create table disk_filler (x blob)`.execute(ctx.db);
  const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(ctx.db);
  await sql.raw(`pragma max_page_count = ${rows[0]!.page_count + pages}`).execute(ctx.db);
  if (pages === 0) {
    for (const size of [4000, 1000, 200, 50, 10, 1]) {
      for (;;) {
        try {
          await sql`insert into disk_filler (x) values (zeroblob(${size}))`.execute(ctx.db);
        } catch {
          break;
        }
      }
    }
  }
  faults++;
}

async function expectUnharmed(runs: number): Promise<void> {
  expect(await countRows(ctx.db, 'runs')).toBe(runs);
  expect(await countRows(ctx.db, 'run_tags')).toBe(3);
  const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(ctx.db);
  expect(integrity.rows).toEqual([{ integrity_check: 'ok' }]);
  const staged = await ctx.db.selectFrom('import_staging').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  expect(Number(staged.n)).toBe(0);
}

function bigCsv(rows: number): string {
  const lines = Array.from({ length: rows }, (_, i) => `flux-dev,${1 + (i % 50)},${1000 + i},5,${i},prompt ${i} ${'words '.repeat(20)},tag${i % 5}`);
  return `model,steps,duration_ms,score,seed,prompt,tags\n${lines.join('\n')}\n`;
}

describe('disk full while importing', () => {
  it('the API answers 507 "the disk is full", keeps the database whole, and imports once there is room', async () => {
    await fillDatabase(40);
    const csv = bigCsv(20_000);
    const res = await request(ctx.app).post('/api/v1/import').type('text/csv').send(csv);
    expect(res.status).toBe(507);
    expect(res.body.error).toEqual({ code: 'disk_full', message: expect.stringMatching(/^The disk is full: nothing of this was saved/), details: [] });
    await expectUnharmed(3);
    expect(await ctx.db.selectFrom('imports').select('status').execute()).toEqual([{ status: 'failed' }]);

    const page = await request(ctx.app).post('/import').attach('file', Buffer.from(csv), 'runs.csv');
    expect(page.status).toBe(507);
    expect(page.text).toContain('The disk is full');
    expect(page.text).not.toMatch(/SQLITE_FULL|at \w+ \(|node_modules/);
    await expectUnharmed(3);

    await sql.raw('pragma max_page_count = 1073741823').execute(ctx.db);
    expect((await request(ctx.app).post('/api/v1/import').type('text/csv').send(csv)).status).toBe(201);
    expect(await countRows(ctx.db, 'runs')).toBe(20_003);
  });

  it('a batch of runs through the API, refused whole', async () => {
    await fillDatabase(5);
    const runs = Array.from({ length: 5000 }, (_, i) => ({ model: 'flux-dev', steps: 1 + (i % 50), prompt: 'p'.repeat(200) }));
    const res = await request(ctx.app).post('/api/v1/runs').send(runs);
    expect(res.status).toBe(507);
    await expectUnharmed(3);
  });

  it('the CLI says so in a sentence and exits 2', async () => {
    // The CLI opens its own connection, so the full disk is a tmpfs here; skipped where none can be mounted.
    const mount = path.join(dir, 'small');
    fs.mkdirSync(mount);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      console.log('disk full (CLI): no tmpfs could be mounted here (not root?); skipped');
      return;
    }
    try {
      faults++;
      const env = { SWEETSPOT_DB: path.join(mount, 'db.sqlite'), SWEETSPOT_DATA_DIR: path.join(mount, 'data') };
      const file = path.join(dir, 'big.csv');
      fs.writeFileSync(file, bigCsv(20_000));
      let err = '';
      const code = await runCli(['import', file], { env, out: () => undefined, err: (t) => (err += t), isTty: false });
      expect(err).toMatch(/The disk is full: nothing of this was saved/);
      expect(err).not.toMatch(/at \w+ \(|SqliteError/);
      expect(code).toBe(2);
      const db = connectDatabase(env.SWEETSPOT_DB);
      try {
        expect(Number((await db.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
        expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows).toEqual([{ integrity_check: 'ok' }]);
      } finally {
        await db.destroy();
      }
    } finally {
      execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
    }
  });
});

describe('disk full while uploading', () => {
  it('a full database: 507 once there is no room; every stored image is whole, no file left behind', async () => {
    await fillDatabase(0);
    const images = async () => Number((await ctx.db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    let res: request.Response | null = null;
    let uploads = 0;
    // Distinct renders with long settings: the first few may fit in room the tables' pages still have.
    for (let i = 0; i < 50; i++) {
      const settings = a1111Parameters({ prompt: `render ${i} ${'very long prompt '.repeat(200)}`, steps: 20 + i, seed: i, model: 'flux1-dev', width: 8, height: 8 });
      res = await request(ctx.app).post('/api/v1/images').attach('files', buildPng({ width: 8, height: 8, before: [tEXt('parameters', settings)] }), `r${i}.png`);
      uploads++;
      if (res.status !== 200) break;
    }
    expect(res!.status).toBe(507);
    expect(res!.body.error).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/^The disk is full/) });
    const stored = await images();
    expect(stored).toBe(uploads - 1);
    expect(await countRows(ctx.db, 'runs')).toBe(3 + stored); // each stored image has its run, the refused one neither
    // On disk: exactly the stored images and their thumbnails, no temporary file.
    const files = (fs.readdirSync(ctx.config.dataDir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile());
    expect(files.filter((f) => f.name.endsWith('.png'))).toHaveLength(stored);
    expect(files.filter((f) => f.name.endsWith('.webp'))).toHaveLength(stored);
    expect(files.filter((f) => f.name.startsWith('.'))).toEqual([]);
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(ctx.db);
    expect(integrity.rows).toEqual([{ integrity_check: 'ok' }]);
    console.log(`disk full (database, upload): ${stored} uploads stored before the database filled, the next refused with 507`);
  });

  it('a full file system under the data folder: 507, nothing stored, no temporary file left', async () => {
    const mount = ctx.config.dataDir;
    fs.mkdirSync(mount, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      console.log('disk full (upload): no tmpfs could be mounted here (not root?); skipped');
      return;
    }
    try {
      faults++;
      const big = Buffer.concat([fs.readFileSync(FIXTURE), Buffer.alloc(200 * 1024)]); // over the 256 KiB file system
      const res = await request(ctx.app).post('/api/v1/images').attach('files', big, 'render.png');
      expect(res.status).toBe(507);
      expect(res.body.error).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/^The disk is full/) });
      expect(Number((await ctx.db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
      expect(fs.readdirSync(path.join(mount, 'tmp'))).toEqual([]);
      await expectUnharmed(3);
      // With room again, the same upload goes through.
      const small = await request(ctx.app).post('/api/v1/images').attach('files', buildPng({ width: 8, height: 8, before: [tEXt('parameters', a1111Parameters({ prompt: 'p', steps: 20, seed: 1, model: 'flux1-dev', width: 8, height: 8 }))] }), 'small.png');
      expect(small.status).toBe(200);
    } finally {
      execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
    }
  });
});
