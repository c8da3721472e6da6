import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import SQLite from 'better-sqlite3';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/sweetspot.js');

/** Runs `sweetspot …` as its own process; resolves with its exit code and output. */
export function sweetspot(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop: () => Promise<void>;
}

/** Starts `sweetspot serve` on a free port; resolves once it listens. */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match) {
        resolve({
          url: match[1]!,
          child,
          stderr: () => err,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it listened: ${err}`)));
  });
}

/** A count and the integrity check of a database file, read by a connection of its own. */
export function inspect(file: string): { integrity: string; count: (sql: string) => number; ids: (sql: string) => Set<number>; close: () => void } {
  const db = new SQLite(file);
  db.pragma('busy_timeout = 5000');
  return {
    integrity: String(db.pragma('integrity_check', { simple: true })),
    count: (sql) => (db.prepare(sql).get() as { n: number }).n,
    ids: (sql) => new Set((db.prepare(sql).all() as { id: number }[]).map((r) => r.id)),
    close: () => db.close(),
  };
}
