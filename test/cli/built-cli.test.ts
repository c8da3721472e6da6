import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The compiled CLI as users run it: bin/sweetspot.js starting dist/bundle/cli.js (the bundle) with plain node, no tsx.
// dist/ is built fresh from the source under test by the global setup (test/helpers/build-global-setup.ts).
const ROOT = path.resolve(import.meta.dirname, '../..');
let dir = '';
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-built-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Result {
  code: number | null;
  out: string;
  err: string;
}

function sweetspot(args: string[], stdin = ''): Promise<Result> {
  const env = { PATH: process.env.PATH, SWEETSPOT_DB: path.join(dir, 'test.db'), SWEETSPOT_DATA_DIR: dir };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/sweetspot.js'), ...args], { cwd: dir, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin);
  });
}

describe('the built sweetspot command', () => {
  it('runs from dist/ (no TypeScript compiled at start) and prints its help', async () => {
    expect(fs.existsSync(path.join(ROOT, 'dist/bundle/cli.js'))).toBe(true);
    const res = await sweetspot(['--help']);
    expect(res.err).toBe(''); // the fallback to the TypeScript source would say so here
    expect(res.code).toBe(0);
    for (const command of ['serve', 'log', 'import', 'export', 'report']) expect(res.out).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('logs a run, then three NDJSON lines from standard input, and refuses a bad line by its number', async () => {
    const one = await sweetspot(['log', '--model', 'flux-dev', '--steps', '28', '--duration', '19.1', '--score', '7']);
    expect(one).toMatchObject({ code: 0, out: 'Logged run #1: FLUX.1 Dev, 28 steps, 19.1 s, score 7\n' });

    const lines = [
      { model: 'flux-dev', steps: 20, durationMs: 13780, score: 6.1, seed: '42' },
      { model: 'flux-dev', steps: 30, durationMs: 20480, score: 7.3, seed: '42' },
      { model: 'flux-dev', steps: 40, durationMs: 27180, score: 7.5, seed: '42' },
    ];
    const three = await sweetspot(['log', '--stdin', '--json'], lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    expect(three.code).toBe(0);
    const answers = three.out.trim().split('\n').map((line) => JSON.parse(line));
    expect(answers.map((run) => [run.id, run.steps, run.seed])).toEqual([[2, 20, '42'], [3, 30, '42'], [4, 40, '42']]);

    const bad = [JSON.stringify({ model: 'flux-dev', steps: 25, score: 6.9 }), JSON.stringify({ model: 'flux-dev', steps: 35, score: 12, seed: '777' })].join('\n') + '\n';
    const refused = await sweetspot(['log', '--stdin'], bad);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('line 1: Logged run #5: FLUX.1 Dev, 25 steps, score 6.9\n');
    expect(refused.err).toMatch(/^line 2: the run was not logged: score: /m);

    // Nothing of line 2 was written: five runs, none with its seed or its steps.
    const stored = JSON.parse((await sweetspot(['runs', '--json', '--sort', 'steps', '--order', 'asc'])).out).runs as { steps: number; seed: string | null }[];
    expect(stored.map((run) => run.steps)).toEqual([20, 25, 28, 30, 40]);
    expect(stored.some((run) => run.seed === '777')).toBe(false);
  });
});
