import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDatabase, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

let dir: string;
let db: Db;
let other: SQLite.Database;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-immediate-'));
  const file = path.join(dir, 'db.sqlite');
  db = connectDatabase(file);
  await migrateToLatest(db);
  other = new SQLite(file);
  other.pragma('busy_timeout = 0');
});
afterEach(async () => {
  other.close();
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SQLite write transactions', () => {
  it('take the write lock when they begin (BEGIN IMMEDIATE), not at their first write', async () => {
    let otherWriter: string | null = null;
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('models').select('id').execute(); // only a read so far
      try {
        other.prepare('begin immediate').run();
        other.prepare('rollback').run();
        otherWriter = 'got the write lock';
      } catch (err) {
        otherWriter = (err as { code?: string }).code ?? String(err);
      }
    });
    // Under a deferred BEGIN the other process would have got the lock here and this transaction's
    // first write would then fail with SQLITE_BUSY, which no busy timeout can cure.
    expect(otherWriter).toBe('SQLITE_BUSY');
    // Outside a transaction the lock is free again, and reads never wait.
    other.prepare('begin immediate').run();
    expect(await db.selectFrom('models').select('id').execute()).not.toHaveLength(0);
    other.prepare('rollback').run();
  });

  it('run in WAL mode with a busy timeout', () => {
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    const ours = new SQLite(path.join(dir, 'db.sqlite'));
    try {
      expect(ours.pragma('journal_mode', { simple: true })).toBe('wal'); // persistent: set by connectDatabase
    } finally {
      ours.close();
    }
  });
});
