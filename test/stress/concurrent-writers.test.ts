import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, inspect, startServerProcess, sweetspot, type ServerProcess } from './helpers.js';

// Concurrent writers for a bounded time: a server process answering 50 HTTP clients (single runs,
// batches, edits, imports, reads), two writer processes on their own connections and a loop of
// `sweetspot log` processes, all on one SQLite file. Every acknowledged run must be there afterwards,
// and no client may see a 5xx or SQLITE_BUSY.

const DURATION_MS = 15_000;
const CLIENTS = 50;
let dir: string;
let env: Record<string, string>;
let server: ServerProcess;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-writers-'));
  env = { SWEETSPOT_DB: path.join(dir, 'db.sqlite'), SWEETSPOT_DATA_DIR: dir };
  server = await startServerProcess(env);
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Tally {
  acknowledged: Set<number>;
  requests: number;
  serverErrors: string[];
  busy: number;
}

/** One HTTP client: a mix of writes and reads until the deadline. */
async function client(n: number, until: number, tally: Tally): Promise<void> {
  const api = `${server.url}/api/v1`;
  const json = { 'Content-Type': 'application/json' };
  const mine: number[] = [];
  for (let i = 0; Date.now() < until; i++) {
    const kind = (n + i) % 10;
    let res: Response;
    try {
      if (kind < 5) {
        res = await fetch(`${api}/runs`, { method: 'POST', headers: json, body: JSON.stringify({ model: 'flux-dev', steps: 1 + (i % 50), score: 5, tags: ['http', `c${n}`] }) });
      } else if (kind === 5) {
        const batch = Array.from({ length: 10 }, (_, j) => ({ model: 'flux-schnell', steps: 1 + (j % 4), tags: ['batch'] }));
        res = await fetch(`${api}/runs`, { method: 'POST', headers: json, body: JSON.stringify(batch) });
      } else if (kind === 6 && mine.length > 0) {
        res = await fetch(`${api}/runs/${mine[mine.length - 1]}`, { method: 'PATCH', headers: json, body: JSON.stringify({ score: 7, notes: `edited by ${n}` }) });
      } else if (kind === 7) {
        // A file of its own each time, without force=1: the import's last transaction reads (is it a
        // duplicate?) before it writes, the pattern a deferred BEGIN turns into SQLITE_BUSY.
        const csv = `model,steps,score,tags,notes\n${Array.from({ length: 20 }, (_, j) => `flux-pro,${10 + j},6,"import,c${n}",client ${n} file ${i}`).join('\n')}\n`;
        res = await fetch(`${api}/import?filename=c${n}-${i}.csv`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csv });
      } else if (kind === 8) {
        res = await fetch(`${api}/models/flux-dev/analysis`);
      } else {
        res = await fetch(`${api}/runs?limit=20&model=flux-dev`);
      }
    } catch (err) {
      tally.serverErrors.push(`client ${n}: ${(err as Error).message}`);
      continue;
    }
    tally.requests++;
    const text = await res.text();
    if (res.status >= 500) tally.serverErrors.push(`${res.status} ${text.slice(0, 200)}`);
    if (/SQLITE_BUSY|database is locked/i.test(text)) tally.busy++;
    if (res.status === 201) {
      const body = JSON.parse(text) as { id?: number; ids?: number[]; import?: { id: number } };
      if (Array.isArray(body.ids)) for (const id of body.ids) tally.acknowledged.add(id);
      else if (typeof body.id === 'number') {
        tally.acknowledged.add(body.id);
        mine.push(body.id);
      } else if (body.import) tally.acknowledged.add(-body.import.id); // imports are checked by their id
    } else if (res.status >= 400 && res.status !== 404) {
      tally.serverErrors.push(`unexpected ${res.status}: ${text.slice(0, 200)}`);
    }
  }
}

/** A writer process on its own connection; resolves with the ids it acknowledged. */
function writerProcess(label: string): Promise<{ ids: number[]; code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/stress/writer-process.ts'), env.SWEETSPOT_DB!, String(DURATION_MS), label], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ ids: out.split('\n').filter(Boolean).map(Number), code, err }));
  });
}

/** `sweetspot log` in a loop of processes until the deadline. */
async function cliLoop(until: number): Promise<{ ids: number[]; failures: string[] }> {
  const ids: number[] = [];
  const failures: string[] = [];
  for (let i = 0; Date.now() < until; i++) {
    const res = await sweetspot(['log', '--model', 'flux-dev', '--steps', String(1 + (i % 50)), '--tags', 'cli', '--json'], env);
    if (res.code === 0) ids.push((JSON.parse(res.out) as { id: number }).id);
    else failures.push(res.err.slice(0, 300));
  }
  return { ids, failures };
}

describe('concurrent writers', () => {
  it('lose no acknowledged run, and no client sees a 5xx or SQLITE_BUSY', async () => {
    const until = Date.now() + DURATION_MS;
    const tally: Tally = { acknowledged: new Set(), requests: 0, serverErrors: [], busy: 0 };
    const [writers, cli] = await Promise.all([
      Promise.all([writerProcess('w1'), writerProcess('w2')]),
      cliLoop(until),
      Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n, until, tally))),
    ]);
    await server.stop();

    const httpRuns = [...tally.acknowledged].filter((id) => id > 0);
    const httpImports = [...tally.acknowledged].filter((id) => id < 0).map((id) => -id);
    const processRuns = writers.flatMap((w) => w.ids);
    const db = inspect(env.SWEETSPOT_DB!);
    let found = 0;
    try {
      expect(db.integrity).toBe('ok');
      const stored = db.ids('select id from runs');
      const missing = [...httpRuns, ...processRuns, ...cli.ids].filter((id) => !stored.has(id));
      found = httpRuns.length + processRuns.length + cli.ids.length - missing.length;
      const imports = db.ids("select id from imports where status = 'done'");
      const missingImports = httpImports.filter((id) => !imports.has(id));
      const importedRuns = db.count("select count(*) as n from runs where import_id in (select id from imports where status = 'done')");
      console.log(
        `concurrent writers (${DURATION_MS / 1000} s): ${tally.requests} HTTP requests from ${CLIENTS} clients, ` +
          `${writers.length} writer processes, ${cli.ids.length + cli.failures.length} 'sweetspot log' processes; ` +
          `runs acknowledged ${httpRuns.length} (HTTP) + ${processRuns.length} (writer processes) + ${cli.ids.length} (CLI) = ${httpRuns.length + processRuns.length + cli.ids.length}, ` +
          `found ${found}; imports acknowledged ${httpImports.length}, found ${httpImports.length - missingImports.length} (${importedRuns} runs); ` +
          `5xx ${tally.serverErrors.length}, SQLITE_BUSY ${tally.busy}`,
      );
      expect(missing).toEqual([]);
      expect(missingImports).toEqual([]);
      expect(importedRuns).toBe(20 * httpImports.length);
    } finally {
      db.close();
    }
    expect(tally.serverErrors).toEqual([]);
    expect(tally.busy).toBe(0);
    for (const w of writers) expect(w.err, w.err).toBe('');
    for (const w of writers) expect(w.code).toBe(0);
    expect(cli.failures).toEqual([]);
    expect(server.stderr()).not.toMatch(/SQLITE_BUSY|Error/);
    // Every writer got its share: the test measured something.
    expect(httpRuns.length).toBeGreaterThan(100);
    expect(processRuns.length).toBeGreaterThan(10);
    expect(cli.ids.length).toBeGreaterThan(0);
  });
});
