import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { launchChromium } from '../helpers/chromium.js';
import { fluxWorkflow, startFakeComfyUi, type FakeComfyUi } from '../helpers/fake-comfyui.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(ROOT, 'test-output', 'screenshots');

let dir: string;
let db: Db;
let server: Server;
let base: string;
let browser: Browser;
let fake: FakeComfyUi;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sweetspot-e2e-renderers-'));
  const config = loadConfig({ SWEETSPOT_DB: path.join(dir, 'e2e.db'), SWEETSPOT_DATA_DIR: dir });
  db = connectDatabase(config.database);
  await migrateToLatest(db);
  server = createApp({ db, config, logError: (err) => console.error(err) }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake = await startFakeComfyUi();
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await db?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the renderers page in a browser', () => {
  it('adds a ComfyUI renderer by pasting its API workflow, then shows what was found; a bad URL is shown beside its field', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    // The refused form answers 422 on purpose; any other console error (a CSP violation, a missing file) is a fault.
    page.on('console', (m) => m.type() === 'error' && !m.text().includes('status of 422') && problems.push(m.text()));
    await page.goto(`${base}/renderers`);
    await page.getByRole('link', { name: 'Renderers' }).waitFor();
    await page.selectOption('select[name=kind]', 'comfyui');
    await page.fill('input[name=url]', 'ftp://gpu.local');
    await page.click('button:has-text("Add renderer")');
    await expect(page.locator('.field.invalid .error').first().textContent()).resolves.toContain('url must start with http:// or https://');

    await page.fill('input[name=url]', fake.url);
    await page.fill('input[name=name]', 'Studio 4090');
    await page.fill('textarea[name=workflow]', JSON.stringify(fluxWorkflow(), null, 2));
    await page.click('button:has-text("Add renderer")');
    const row = page.locator('tbody tr').first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Studio 4090');
    await expect(row.textContent()).resolves.toContain('NVIDIA GeForce RTX 4090');
    await expect(row.textContent()).resolves.toContain('node 17 BasicScheduler · steps = 20');
    await page.screenshot({ path: path.join(SHOTS, 'renderers.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
