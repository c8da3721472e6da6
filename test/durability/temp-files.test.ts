import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { cleanUpTempFiles } from '../../src/services/temp-files.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-temps-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function put(relative: string, ageMs: number): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'x');
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(file, when, when);
  return relative;
}

const HOUR = 3600 * 1000;

describe('start-up clean-up of temporary upload files', () => {
  it('removes only our stale temporary files', async () => {
    const stale = [put('tmp/.m1abc-0123456789abcdef.part', 2 * HOUR), put('images/ab/.m1abc-0123456789abcdef.tmp', 2 * HOUR), put('thumbs/cd/.m1abd-fedcba9876543210.tmp', 3 * HOUR)];
    const kept = [
      put('tmp/.m1abc-1111111111111111.part', 60_000), // an upload streaming in right now
      put('tmp/notes.txt', 5 * HOUR), // not a name of ours
      put(`images/ab/${'ab'.repeat(32)}.png`, 5 * HOUR), // a stored image
      put('sweetspot.db', 5 * HOUR),
    ];
    expect(await cleanUpTempFiles(dir)).toBe(3);
    for (const f of stale) expect(fs.existsSync(path.join(dir, f)), f).toBe(false);
    for (const f of kept) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    expect(await cleanUpTempFiles(dir)).toBe(0);
    expect(await cleanUpTempFiles(path.join(dir, 'missing'))).toBe(0);
  });

  it('runs before every command and says what it removed on stderr', async () => {
    put('tmp/.m1abc-0123456789abcdef.part', 2 * HOUR);
    put('tmp/.m1abc-0123456789abcdee.part', 2 * HOUR);
    let err = '';
    const code = await runCli(['runs'], { env: { SWEETSPOT_DB: path.join(dir, 'db.sqlite'), SWEETSPOT_DATA_DIR: dir }, out: () => undefined, err: (t) => (err += t), isTty: false });
    expect(code).toBe(0);
    expect(err).toBe('Removed 2 temporary files left by interrupted uploads.\n');
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });
});
