import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { connectDatabase } from '../../src/db/connect.js';
import { cleanUpInterruptedImports } from '../../src/services/import-runs.js';

let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-import-'));
  env = { SWEETSPOT_DB: path.join(dir, 'test.db'), SWEETSPOT_DATA_DIR: dir };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], isTty = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { env, out: (t) => (out += t), err: (t) => (err += t), isTty };
  const code = await runCli(args, io);
  return { code, out, err };
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const HEADER = 'model,steps,duration_ms,score,seed,prompt,negative_prompt,sampler,guidance,width,height,hardware,use_case,phase,tags,notes,created_at';

describe('sweetspot import / export runs', () => {
  it('imports a file and exports the runs back, to stdout or a file, with filters', async () => {
    const csv = `${HEADER}\nflux-dev,30,20000,7.5,1,"=1+1",,,,,,,,final,"a,b",,2026-01-01T00:00:00.000Z\nflux-pro,40,,,,,,,,,,,,,,,2026-01-02T00:00:00.000Z\n`;
    const file = write('runs.csv', csv);
    const imported = await cli(['import', file]);
    expect(imported.code).toBe(0);
    expect(imported.out).toBe(`${file}: imported 2 runs as import #1\n`);

    const exported = await cli(['export', 'runs']);
    expect(exported.code).toBe(0);
    expect(exported.out).toBe(csv.replace('"=1+1"', "'=1+1"));

    const out = path.join(dir, 'out.ndjson');
    const toFile = await cli(['export', 'runs', '--format', 'ndjson', '--output', out, '--model', 'flux-dev', '--phase', 'final']);
    expect(toFile.code).toBe(0);
    expect(toFile.err).toBe(`Exported 1 run to ${out}\n`);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ model: 'flux-dev', steps: 30, prompt: '=1+1', tags: ['a', 'b'] })]);

    const json = JSON.parse((await cli(['export', 'runs', '--format', 'json', '--steps-min', '35'])).out);
    expect(json.map((r: { model: string }) => r.model)).toEqual(['flux-pro']);
    expect((await cli(['export', 'runs', '--format', 'xml'])).err).toMatch(/--format must be one of: csv, json, ndjson/);
    expect((await cli(['export', 'runs', '--steps-min', 'x'])).err).toMatch(/--stepsMin: stepsMin must be a whole number/);
  });

  it('imports several files each on its own, reports the bad one and exits 2', async () => {
    const good = write('good.ndjson', '{"model":"flux-dev","steps":30}\n{"model":"flux-dev","steps":20}\n');
    const bad = write('bad.csv', `model,steps,score\nflux-dev,30,7\nflux-dev,30,eleven\nflux-dev,0,7\n`);
    const other = write('notes.txt', 'hello');
    const res = await cli(['import', good, bad, other]);
    expect(res.code).toBe(2);
    expect(res.out).toContain(`${good}: imported 2 runs as import #1\n`);
    expect(res.out).toContain('Imported 2 runs from 1 file; 2 files not imported.\n');
    expect(res.err).toContain(`${bad}: 2 of 3 rows are invalid; nothing was imported\n`);
    expect(res.err).toContain('  line 3: score: score must be a number from 0 to 10\n');
    expect(res.err).toContain('  line 4: steps: steps must be a whole number from 1 to 10000\n');
    expect(res.err).toMatch(/notes\.txt: not imported: the name must end in \.csv, \.json, \.ndjson, \.jsonl/);
    expect(JSON.parse((await cli(['runs', '--json'])).out).total).toBe(2);
  });

  it('refuses the same file twice unless --force', async () => {
    const file = write('runs.json', JSON.stringify([{ model: 'flux-dev', steps: 30 }]));
    expect((await cli(['import', file])).code).toBe(0);
    const again = await cli(['import', file]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already imported as import #1 on \d{4}-\d\d-\d\d .*with --force/);
    expect((await cli(['import', '--force', file])).code).toBe(0);
    expect(JSON.parse((await cli(['runs', '--json'])).out).total).toBe(2);
  });

  it('draws a progress bar on a terminal', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `flux-dev,${1 + (i % 50)}`);
    const file = write('many.csv', `model,steps\n${rows.join('\n')}\n`);
    const res = await cli(['import', file], true);
    expect(res.code).toBe(0);
    expect(res.err).toMatch(/many\.csv \[#+\.*\]\s+\d+%\s+[\d,]+ rows\s+[\d.]+\/[\d.]+ MB/);
    expect(res.out).toBe(`${file}: imported 2,500 runs as import #1\n`);
  });

  it('an import killed half-way leaves the database as it was; the clean-up removes its staged rows', async () => {
    for (const steps of ['10', '20', '30']) expect((await cli(['log', '--model', 'flux-dev', '--steps', steps])).code).toBe(0);
    const big = path.join(dir, 'big.csv');
    const out = fs.createWriteStream(big);
    out.write(`${HEADER}\n`);
    for (let i = 0; i < 200_000; i++) {
      out.write(`flux-dev,${1 + (i % 50)},${1000 + i},${(i % 100) / 10},${i},prompt number ${i},,euler,3.5,1024,1024,RTX 4090,portrait,draft,"t${i % 7},bulk",,\n`);
    }
    await new Promise((resolve) => out.end(resolve));

    const child = spawn(process.execPath, ['bin/sweetspot.js', 'import', big], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const reader = new SQLite(env.SWEETSPOT_DB!, { readonly: true });
    try {
      // Kill it once some staged rows are committed (the import is then half-way).
      for (;;) {
        const staged = (reader.prepare('select count(*) as n from import_staging').get() as { n: number }).n;
        if (staged > 0) break;
        if (child.exitCode !== null) throw new Error('the import finished before it could be killed');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      reader.close();
    }
    child.kill('SIGKILL');
    await exited;

    const db = connectDatabase(env.SWEETSPOT_DB!);
    try {
      const count = async (table: 'runs' | 'run_tags' | 'import_staging' | 'import_staging_tags') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(await count('runs')).toBe(3);
      expect(await count('run_tags')).toBe(0);
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
      expect(integrity.rows).toEqual([{ integrity_check: 'ok' }]);
      expect(await count('import_staging')).toBeGreaterThan(0);
      expect(await db.selectFrom('imports').select(['status']).execute()).toEqual([{ status: 'staging' }]);

      expect(await cleanUpInterruptedImports(db)).toBe(1);
      expect(await count('import_staging')).toBe(0);
      expect(await count('import_staging_tags')).toBe(0);
      expect(await count('runs')).toBe(3);
      const [failed] = await db.selectFrom('imports').selectAll().execute();
      expect(failed).toMatchObject({ status: 'failed', message: expect.stringMatching(/interrupted/) });
      expect(await cleanUpInterruptedImports(db)).toBe(0);
    } finally {
      await db.destroy();
    }
    // The next command also runs the clean-up (nothing left to do) and sees the three runs.
    const listed = await cli(['runs', '--json']);
    expect(listed.err).toBe('');
    expect(JSON.parse(listed.out).total).toBe(3);
  }, 120_000);

  it('the next command cleans up an interrupted import and says so', async () => {
    expect((await cli(['migrate'])).code).toBe(0);
    const db = connectDatabase(env.SWEETSPOT_DB!);
    // An import staged by a process that no longer runs (pid 2^22 + 1 is above Linux's pid_max default).
    const { id } = await db
      .insertInto('imports')
      .values({ format: 'csv', status: 'staging', host: os.hostname(), process_id: 4_194_305, created_at: new Date().toISOString(), sha256: null, filename: 'x.csv', message: null, finished_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('import_staging').values({ import_id: id, line: 2, model_id: 1, steps: 30, created_at: new Date().toISOString() }).execute();
    await db.destroy();
    const res = await cli(['runs']);
    expect(res.code).toBe(0);
    expect(res.err).toBe('Cleaned up 1 interrupted import (nothing of them was kept).\n');
  });
});
