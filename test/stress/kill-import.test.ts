import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, inspect, sweetspot } from './helpers.js';

// SIGKILL in the middle of an import, again and again at different moments (early in staging, half
// way, with every row staged — which is where the final move runs — and after random delays): after
// each kill the database passes PRAGMA integrity_check and the import is wholly present or wholly absent.

const ROWS = 40_000;
let dir: string;
let env: Record<string, string>;
let file: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-kill-'));
  env = { SWEETSPOT_DB: path.join(dir, 'db.sqlite'), SWEETSPOT_DATA_DIR: dir };
  file = path.join(dir, 'big.csv');
  const lines = ['model,steps,duration_ms,score,seed,prompt,sampler,hardware,tags'];
  for (let i = 0; i < ROWS; i++) lines.push(`flux-dev,${1 + (i % 50)},${1000 + i},${(i % 100) / 10},${i},prompt number ${i},euler,RTX 4090,"bulk,t${i % 7}"`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  for (const steps of ['10', '20', '30']) expect((await sweetspot(['log', '--model', 'flux-dev', '--steps', steps], env)).code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts an import and kills it with SIGKILL when `when` says so; resolves with what the import reached. */
async function importAndKill(when: { stagedAtLeast: number } | { afterMs: number }): Promise<{ killed: boolean; staged: number }> {
  const child = spawn(process.execPath, [BIN, 'import', '--force', file], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let staged = 0;
  if ('afterMs' in when) {
    await new Promise((r) => setTimeout(r, when.afterMs));
  } else {
    const reader = new SQLite(env.SWEETSPOT_DB!, { readonly: true });
    try {
      for (;;) {
        // Only the rows of the import in progress count (a killed one's rows wait for the clean-up).
        const row = reader.prepare("select count(*) as n from import_staging where import_id = (select max(id) from imports where status = 'staging')").get() as { n: number };
        staged = row.n;
        if (staged >= when.stagedAtLeast || child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      reader.close();
    }
  }
  const killed = child.exitCode === null && child.kill('SIGKILL');
  await exited;
  return { killed, staged };
}

describe('SIGKILL during an import, repeatedly', () => {
  it('leaves a sound database in which each import is wholly present or wholly absent', async () => {
    const moments = [
      { stagedAtLeast: 1 },
      { stagedAtLeast: ROWS / 4 },
      { stagedAtLeast: ROWS / 2 },
      { stagedAtLeast: ROWS }, // everything staged: the kill lands in or just around the final move
      { afterMs: 1500 + Math.floor(Math.random() * 2500) },
      { afterMs: 800 + Math.floor(Math.random() * 4000) },
    ];
    let runs = 3;
    let kills = 0;
    let wholeImports = 0;
    for (const [i, when] of moments.entries()) {
      const { killed, staged } = await importAndKill(when);
      if (killed) kills++;
      const db = inspect(env.SWEETSPOT_DB!);
      try {
        expect(db.integrity, `after kill ${i + 1}`).toBe('ok');
        const now = db.count('select count(*) as n from runs');
        expect([runs, runs + ROWS], `after kill ${i + 1} (${staged} rows staged): ${now} runs`).toContain(now);
        if (now === runs + ROWS) wholeImports++;
        runs = now;
        // Tags travel with their runs: 2 per imported run, none for the 3 logged by hand.
        expect(db.count('select count(*) as n from run_tags')).toBe(2 * (runs - 3));
        expect(db.count("select count(*) as n from imports where status = 'done'")).toBe(wholeImports);
      } finally {
        db.close();
      }
      console.log(`kill ${i + 1}: ${killed ? 'SIGKILL' : 'finished first'} at ${'afterMs' in when ? `${when.afterMs} ms` : `${staged} staged rows`}; runs now ${runs}`);
    }
    expect(kills).toBeGreaterThanOrEqual(4);

    // An import left alone afterwards is wholly there.
    const finished = await sweetspot(['import', '--force', file], env);
    expect(finished.code, finished.err).toBe(0);
    runs += ROWS;
    wholeImports++;

    // The next command cleans up what the killed imports left, and the database is as it says.
    const listed = await sweetspot(['runs', '--json', '--limit', '1'], env);
    expect(listed.code).toBe(0);
    const db = inspect(env.SWEETSPOT_DB!);
    try {
      expect(db.count('select count(*) as n from import_staging')).toBe(0);
      expect(db.count('select count(*) as n from import_staging_tags')).toBe(0);
      expect(db.count("select count(*) as n from imports where status = 'staging'")).toBe(0);
      expect(db.integrity).toBe('ok');
      expect(JSON.parse(listed.out).total).toBe(runs);
    } finally {
      db.close();
    }
    console.log(`SIGKILL during import: ${moments.length + 1} imports started, ${kills} faults injected (SIGKILL), ${wholeImports} imports wholly present, the rest wholly absent; integrity ok each time`);
  });
});
