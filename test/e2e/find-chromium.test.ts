import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.js';

let dir = '';
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-browser-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An executable file named `name` in its own folder, standing in for an installed browser. */
function fakeBrowser(name: string): string {
  const folder = fs.mkdtempSync(path.join(dir, 'bin-'));
  const file = path.join(folder, name);
  fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
  return file;
}

describe('which Chromium the browser tests use', () => {
  it('takes CHROMIUM_PATH first, even with a system one on PATH', async () => {
    const mine = fakeBrowser('my-chromium');
    const system = fakeBrowser('chromium');
    expect(await findChromium({ CHROMIUM_PATH: mine, PATH: path.dirname(system) })).toEqual({ path: mine, source: 'CHROMIUM_PATH' });
  });

  it('names a CHROMIUM_PATH that is not an executable file', async () => {
    await expect(findChromium({ CHROMIUM_PATH: path.join(dir, 'nothing-here') })).rejects.toThrow(/CHROMIUM_PATH names .*nothing-here, which is not an executable file/);
  });

  it('then takes chromium or google-chrome from PATH, in the order of PATH', async () => {
    const chrome = fakeBrowser('google-chrome');
    const chromiumLater = fakeBrowser('chromium');
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const PATH = [empty, path.dirname(chrome), path.dirname(chromiumLater)].join(path.delimiter);
    expect(await findChromium({ PATH })).toEqual({ path: chrome, source: 'system' });
  });

  it('with SWEETSPOT_TEST_BROWSER=system and none on PATH, says so instead of falling back', async () => {
    await expect(findChromium({ PATH: dir, SWEETSPOT_TEST_BROWSER: 'system' })).rejects.toThrow(/none of chromium, .* is on PATH/);
    await expect(findChromium({ PATH: dir, SWEETSPOT_TEST_BROWSER: 'firefox' })).rejects.toThrow(/must be "bundled" or "system"/);
  });

  it('with SWEETSPOT_TEST_BROWSER=bundled (or nothing on PATH) drives the Chromium of the npm package', async () => {
    const system = fakeBrowser('chromium');
    const choice = await findChromium({ PATH: path.dirname(system), SWEETSPOT_TEST_BROWSER: 'bundled' });
    expect(choice.source).toBe('bundled');
    expect(await findChromium({ PATH: dir })).toEqual(choice);
    const browser = await chromium.launch({ executablePath: choice.path, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.setContent('<button onclick="this.textContent = String(6 * 7)">go</button>');
      await page.click('button');
      expect(await page.textContent('button')).toBe('42');
    } finally {
      await browser.close();
    }
  });
});
