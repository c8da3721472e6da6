import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { buildPng } from '../images/image-builders.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/images');

let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-cli-images-'));
  env = { SWEETSPOT_DB: path.join(dir, 'test.db'), SWEETSPOT_DATA_DIR: path.join(dir, 'data') };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { env, out: (t) => (out += t), err: (t) => (err += t), isTty: false };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('sweetspot import with images', () => {
  it('imports a.png b.png as runs with a progress line per file, and is idempotent', async () => {
    const a = path.join(dir, 'a.png');
    const b = path.join(dir, 'b.png');
    fs.copyFileSync(path.join(FIXTURES, 'comfyui__flux_dev_unetloader_samplercustomadvanced.png'), a);
    fs.copyFileSync(path.join(FIXTURES, 'a1111__duck_tEXt_cropped1x1.png'), b);
    const res = await cli('import', a, b);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toContain(`[1/2] ${a}: run #1 (flux-dev)`);
    expect(res.out).toContain(`[2/2] ${b}: run #2 (realistic_realisticvisionv20_v20, new model)`);
    expect(res.out).toContain('Imported 2 runs from 2 files.');
    const runs = JSON.parse((await cli('runs', '--json')).out).runs;
    expect(runs.map((r: { steps: number; source: string; model: string }) => [r.model, r.steps, r.source]).sort()).toEqual([
      ['flux-dev', 20, 'png'],
      ['realistic_realisticvisionv20_v20', 15, 'png'],
    ]);
    expect(fs.readdirSync(path.join(env.SWEETSPOT_DATA_DIR!, 'images'))).toHaveLength(2);

    const again = await cli('import', a);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`${a}: already stored as image #1 (run #1)`);
    expect(JSON.parse((await cli('runs', '--json')).out).total).toBe(2);
  });

  it('reports a file to complete, and rejects a text file named .png and a missing file', async () => {
    const plain = path.join(dir, 'plain.png');
    fs.writeFileSync(plain, buildPng({ width: 4, height: 4 }));
    const fake = path.join(dir, 'fake.png');
    fs.writeFileSync(fake, 'Steps: 20, just text');
    const res = await cli('import', plain, fake, path.join(dir, 'missing.webp'));
    expect(res.code).toBe(2);
    expect(res.out).toMatch(/plain\.png: stored as image #1, to complete on \/images: No generation settings/);
    expect(res.err).toMatch(/fake\.png: rejected: This file is not a PNG, JPEG or WebP image/);
    expect(res.err).toMatch(/missing\.webp: not imported: cannot read it: no such file \(ENOENT\)/);
    expect(res.err).toMatch(/2 files of 3 could not be imported/);
  });
});
