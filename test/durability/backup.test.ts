import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { countRows, createTestApp, type TestContext } from '../helpers/test-app.js';

let dir: string;
let ctx: TestContext;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-backup-'));
  ctx = await createTestApp({ SWEETSPOT_DB: path.join(dir, 'live.db'), SWEETSPOT_DATA_DIR: dir });
});
afterEach(async () => {
  await ctx.db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string>) {
  let out = '';
  let err = '';
  const code = await runCli(args, { env, out: (t) => (out += t), err: (t) => (err += t), isTty: false });
  return { code, out, err };
}

describe('sweetspot backup FILE', () => {
  it('copies the database while it is written to; the copy passes the integrity check with consistent counts and restores', async () => {
    const env = { SWEETSPOT_DB: path.join(dir, 'live.db'), SWEETSPOT_DATA_DIR: dir };
    // Enough data that the backup takes several steps, each run with two tags.
    const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ model: 'flux-dev', steps: 1 + ((from + i) % 50), score: 5, prompt: `prompt ${from + i} ${'x'.repeat(200)}`, tags: ['a', 'b'] }));
    for (let i = 0; i < 10; i++) expect((await request(ctx.app).post('/api/v1/runs').send(batch(1000, i * 1000))).status).toBe(201);

    let writing = true;
    let acknowledged = 10_000;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const res = await request(ctx.app).post('/api/v1/runs').send(batch(20, 100_000 + i * 20));
        expect(res.status).toBe(201);
        acknowledged += 20;
      }
    })();
    const target = path.join(dir, 'backups', 'copy.db');
    const result = await cli(['backup', target], env);
    writing = false;
    await writer;
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Backed up .* to .*copy\.db \([\d.]+ MB; integrity ok; \d+ runs, \d+ models, 0 images\)/);

    expect(fs.readdirSync(path.dirname(target))).toEqual(['copy.db']); // no partial or WAL files beside it
    const copy = new SQLite(target, { readonly: true });
    let runs: number;
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('foreign_key_check')).toEqual([]);
      runs = (copy.prepare('select count(*) as n from runs').get() as { n: number }).n;
      const tags = (copy.prepare('select count(*) as n from run_tags').get() as { n: number }).n;
      expect(runs).toBeGreaterThanOrEqual(10_000);
      expect(runs).toBeLessThanOrEqual(acknowledged);
      expect(tags).toBe(2 * runs); // no run without its tags, no tag without its run: one snapshot
      expect(result.out).toContain(`${runs} runs`);
    } finally {
      copy.close();
    }
    console.log(`backup during writes: ${acknowledged} runs acknowledged by the end, ${runs} in the snapshot, run_tags = 2 × runs`);

    // Restore: the copy is a database the app opens as it is.
    const restored = await createTestApp({ SWEETSPOT_DB: target, SWEETSPOT_DATA_DIR: dir });
    try {
      expect((await request(restored.app).get('/api/v1/runs?limit=1')).body.total).toBe(runs);
      expect(await countRows(restored.db, 'run_tags')).toBe(2 * runs);
    } finally {
      await restored.db.destroy();
    }
  });

  it('refuses to overwrite a file unless --force, and never leaves a half-written one', async () => {
    const env = { SWEETSPOT_DB: path.join(dir, 'live.db'), SWEETSPOT_DATA_DIR: dir };
    const target = path.join(dir, 'b.db');
    fs.writeFileSync(target, 'precious');
    const refused = await cli(['backup', target], env);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/exists already: choose another name or pass --force/);
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');
    expect((await cli(['backup', '--force', target], env)).code).toBe(0);
    expect(new SQLite(target, { readonly: true }).pragma('integrity_check', { simple: true })).toBe('ok');
    expect((await cli(['backup', path.join(dir, 'live.db')], { ...env })).err).toMatch(/exists already|must not be the database/);
    const missing = await cli(['backup', path.join(dir, 'c.db')], { ...env, SWEETSPOT_DB: path.join(dir, 'nope.db') });
    expect(missing.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'nope.db'))).toBe(false);
  });

  it('for PostgreSQL says how to use pg_dump, without printing the password', async () => {
    const res = await cli(['backup', 'x.dump'], { SWEETSPOT_DB: 'postgres://me:secret@db.example/sweetspot' });
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/pg_dump --format=custom --file x\.dump/);
    expect(res.err).toMatch(/pg_restore/);
    expect(res.err).not.toContain('secret');
  });
});
