import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, startServerProcess, sweetspot, type ServerProcess } from './helpers.js';

// Online backups taken by `sweetspot backup` (its own process) while a server process takes writes
// from 20 HTTP clients: each backup passes the integrity check, holds a consistent snapshot (every run
// with both its tags, every run acknowledged before the backup began), and restores to a working app.

const CLIENTS = 20;
let dir: string;
let env: Record<string, string>;
let server: ServerProcess;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-backup-load-'));
  env = { SWEETSPOT_DB: path.join(dir, 'live.db'), SWEETSPOT_DATA_DIR: dir };
  server = await startServerProcess(env);
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup under load', () => {
  it('restores to a sound database with consistent counts', async () => {
    const acknowledged: { id: number; at: number }[] = [];
    const failures: string[] = [];
    let writing = true;
    const clients = Array.from({ length: CLIENTS }, async (_, n) => {
      for (let i = 0; writing; i++) {
        const batch = Array.from({ length: 5 }, (_, j) => ({ model: 'flux-dev', steps: 1 + ((i + j) % 50), score: 5, prompt: `client ${n} run ${i}.${j} ${'x'.repeat(300)}`, tags: ['a', `c${n}`] }));
        const res = await fetch(`${server.url}/api/v1/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(batch) });
        const text = await res.text();
        if (res.status !== 201) failures.push(`${res.status} ${text.slice(0, 200)}`);
        else for (const id of (JSON.parse(text) as { ids: number[] }).ids) acknowledged.push({ id, at: Date.now() });
      }
    });

    const backups: { file: string; startedAt: number }[] = [];
    for (let b = 0; b < 3; b++) {
      await new Promise((r) => setTimeout(r, 2000));
      const file = path.join(dir, `backup-${b}.db`);
      const startedAt = Date.now();
      const res = await sweetspot(['backup', file], env);
      expect(res.code, res.err).toBe(0);
      expect(res.out).toMatch(/integrity ok/);
      backups.push({ file, startedAt });
    }
    writing = false;
    await Promise.all(clients);
    expect(failures).toEqual([]);

    for (const [b, { file, startedAt }] of backups.entries()) {
      const db = inspect(file);
      try {
        expect(db.integrity).toBe('ok');
        const runs = db.count('select count(*) as n from runs');
        expect(db.count('select count(*) as n from run_tags')).toBe(2 * runs);
        expect(db.count('select count(*) as n from run_tags where run_id not in (select id from runs)')).toBe(0);
        const stored = db.ids('select id from runs');
        const before = acknowledged.filter((a) => a.at < startedAt);
        expect(before.filter((a) => !stored.has(a.id))).toEqual([]);
        console.log(`backup ${b + 1}: ${runs} runs and ${2 * runs} tags in the snapshot; ${before.length} runs acknowledged before it began, all present; integrity ok`);
      } finally {
        db.close();
      }
    }

    // Restore the last backup the documented way (copy it over the database of a stopped server) and serve it.
    const last = backups[backups.length - 1]!.file;
    const restoredDb = path.join(dir, 'restored', 'sweetspot.db');
    fs.mkdirSync(path.dirname(restoredDb));
    fs.copyFileSync(last, restoredDb);
    const check = inspect(last);
    const expected = check.count('select count(*) as n from runs');
    check.close();
    const restored = await startServerProcess({ SWEETSPOT_DB: restoredDb, SWEETSPOT_DATA_DIR: path.dirname(restoredDb) });
    try {
      const page = (await (await fetch(`${restored.url}/api/v1/runs?limit=1`)).json()) as { total: number };
      expect(page.total).toBe(expected);
      const write = await fetch(`${restored.url}/api/v1/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model: 'flux-dev', steps: 30 }) });
      expect(write.status).toBe(201);
    } finally {
      await restored.stop();
    }
    console.log(`backup under load: ${acknowledged.length} runs acknowledged during ${backups.length} backups; the last backup restored with ${expected} runs`);
  });
});
