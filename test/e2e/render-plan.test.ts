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
import { createExperiment } from '../../src/services/experiments.js';
import { addRenderer } from '../../src/services/renderers.js';
import { experimentInputSchema } from '../../src/validation/experiment-input.js';
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
let experimentId: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sweetspot-e2e-render-plan-'));
  const config = loadConfig({ SWEETSPOT_DB: path.join(dir, 'e2e.db'), SWEETSPOT_DATA_DIR: dir });
  db = connectDatabase(config.database);
  await migrateToLatest(db);
  server = createApp({ db, config, logError: (err) => console.error(err) }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Renders take 0.38 s + 0.67 s per step of "ComfyUI time", scaled to a few ms each.
  fake = await startFakeComfyUi({ clock: { timeScale: 0.002 } });
  experimentId = (await createExperiment(db, experimentInputSchema.parse({ model: 'flux-dev', steps: '10-50 (+5)', seeds: ['1', '2', '3'], prompts: ['a red fox in fresh snow'] }))).id;
  await addRenderer(db, { kind: 'comfyui', url: fake.url, workflow: fluxWorkflow() });
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

describe('rendering a plan from the experiment page', () => {
  it('starts an adaptive run from the form and watches the progress bar reach the end, with the stop reason', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(`${base}/experiments/${experimentId}`);
    await page.locator('#render-renderers input[name=renderer]').first().waitFor();
    await page.check('input[name=mode][value=adaptive]');
    await page.fill('input[name=maxRenders]', '12');
    await page.click('#render-form button[type=submit]');
    await page.locator('#render-state', { hasText: /^done$/ }).waitFor({ timeout: 30_000 });
    const bar = await page.locator('#render-progress').evaluate((p) => [(p as unknown as { value: number; max: number }).value, (p as unknown as { value: number; max: number }).max]);
    // The plan's 10–50 clipped to FLUX.1 Dev's usable 20–50: 20, 35, 50 × 3 seeds = 9, then 3 more to the budget of 12.
    expect(bar).toEqual([12, 12]);
    await expect(page.locator('#render-counts').textContent()).resolves.toBe('12 of 12 renders (round 2)');
    await expect(page.locator('#render-reason').textContent()).resolves.toMatch(/^Render budget spent: 12 of 12 renders; /);
    await expect(page.locator('#render-times').textContent()).resolves.toMatch(/^spent \d+ min \d+ s · left 0\.0 s$/);
    expect(fake.rendered).toHaveLength(12);
    const shot = path.join(SHOTS, 'render-plan.png');
    await page.locator('#render-panel').screenshot({ path: shot });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
