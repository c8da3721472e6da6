import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/sweetspot.js');
/** Root ignores file permissions: the read-only cases then run the server as "nobody". */
const AS_NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-startup-'));
  fs.chmodSync(dir, 0o777);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `sweetspot serve`; resolves with its exit code and output once it exits (or kills it after 30 s). */
function serve(env: Record<string, string>, args: string[] = [], user: object = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...user });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

async function migratedDatabase(file: string): Promise<void> {
  const db = connectDatabase(file);
  await migrateToLatest(db);
  await db.destroy();
}

// Findings 9 and 10 of issue #14: a port in use was reported as success ("sweetspot is running at …",
// exit 0); a read-only database started and then answered 500s; an unwritable data folder gave an
// opaque 500 on upload; errors for a broken database did not name the file.
describe('start-up tells the truth', () => {
  it('a port in use ends start-up with one line naming the port, and a non-zero exit', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await serve({ SWEETSPOT_DB: path.join(dir, 's.db'), SWEETSPOT_DATA_DIR: dir }, ['--port', String(port)]);
      expect(result.code).not.toBe(0);
      expect(result.out).not.toContain('running at');
      expect(result.err.trim()).toBe(`error: sweetspot could not start: Port ${port} on 127.0.0.1 is already in use: stop the program using it or set PORT to another port.`);
    } finally {
      blocker.close();
    }
  });

  it('a damaged database file ends start-up naming the file', async () => {
    const file = path.join(dir, 'damaged.db');
    fs.writeFileSync(file, 'this is not a database '.repeat(200));
    const result = await serve({ SWEETSPOT_DB: file, SWEETSPOT_DATA_DIR: dir }, ['--port', '0']);
    expect(result.code).not.toBe(0);
    expect(result.err.trim().split('\n')).toEqual([`error: sweetspot could not start: The database file ${file} is not a SQLite database, or it is damaged: restore it from a backup or set SWEETSPOT_DB to another file.`]);
  });

  it('a read-only database ends start-up naming the file', async () => {
    const file = path.join(dir, 'readonly.db');
    await migratedDatabase(file);
    for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o444);
    const data = path.join(dir, 'data');
    fs.mkdirSync(data, { mode: 0o777 });
    fs.chmodSync(data, 0o777);
    const result = await serve({ SWEETSPOT_DB: file, SWEETSPOT_DATA_DIR: data }, ['--port', '0'], AS_NOBODY);
    expect(result.code).not.toBe(0);
    expect(result.out).not.toContain('running at');
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toContain(`The database file ${file} `);
    expect(result.err).toMatch(/read-only|cannot be opened/);
  });

  it('an unwritable data folder ends start-up naming the folder', async () => {
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    fs.chmodSync(data, 0o555);
    const db = path.join(dir, 'db');
    fs.mkdirSync(db, { mode: 0o777 });
    fs.chmodSync(db, 0o777);
    const result = await serve({ SWEETSPOT_DB: path.join(db, 's.db'), SWEETSPOT_DATA_DIR: data }, ['--port', '0'], AS_NOBODY);
    expect(result.code).not.toBe(0);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(new RegExp(`The data folder ${data} is not writable \\(E[A-Z]+\\)`));
  });
});
