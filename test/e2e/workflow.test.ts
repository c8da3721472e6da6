import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { connectDatabase, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { launchChromium } from '../helpers/chromium.js';
import { convergingRender } from '../helpers/converging-renders.js';

// The everyday workflow as a new user walks it, in a real browser: each step is photographed.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(ROOT, 'test-output', 'screenshots');

let dir: string;
let config: Config;
let db: Db;
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sweetspot-e2e-workflow-'));
  config = loadConfig({ SWEETSPOT_DB: path.join(dir, 'e2e.db'), SWEETSPOT_DATA_DIR: dir });
  db = connectDatabase(config.database);
  await migrateToLatest(db);
  const app = createApp({ db, config, logError: (err) => console.error(err) });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await db?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A page that records console errors and uncaught exceptions (a CSP violation is one). */
async function openPage(width = 1280, height = 900): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return { page, problems };
}

async function shoot(page: Page, name: string): Promise<void> {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.SWEETSPOT_SHOTS_DIR) copyFileSync(file, path.join(process.env.SWEETSPOT_SHOTS_DIR, `${name}.png`));
}

describe('experiment life cycle (real Chromium)', () => {
  it('previews a plan with seeds typed as "42, 7", creates it, then deletes it through its confirmation', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${base}/experiments`, { waitUntil: 'load' });
    await page.selectOption('select[name="model"]', 'flux-dev');
    await page.fill('input[name="steps"]', '10-30 (+10)');
    await page.fill('input[name="seeds"]', '42, 7');
    await page.fill('textarea[name="prompts"]', 'a red fox in snow\na lighthouse at dusk');
    await Promise.all([page.waitForLoadState('load'), page.click('button[value="preview"]')]);
    await page.waitForSelector('#plan-preview');
    expect(await page.locator('#preview-head').textContent()).toBe('This plan makes 12 renders');
    expect(await page.inputValue('input[name="seeds"]')).toBe('42, 7');
    await shoot(page, 'workflow-plan-preview');

    await Promise.all([page.waitForURL(/\/experiments\/\d+(#\w+)?$/), page.click('button[value="create"]')]);
    expect(await page.locator('.page-head .muted').first().textContent()).toContain('2 seeds');
    const id = Number(/\/experiments\/(\d+)/.exec(page.url())![1]);
    const seeds = await page.evaluate(async (url) => ((await (await fetch(url)).json()) as { plan: { seeds: string[] } }).plan.seeds, `${base}/api/v1/experiments/${id}`);
    expect(seeds).toEqual(['42', '7']);
    await shoot(page, 'workflow-seeds-42-7');

    await Promise.all([page.waitForURL(/\/delete$/), page.click('a:has-text("Delete…")')]);
    expect(await page.locator('.confirm-counts').textContent()).toContain('12 planned runs never rendered will be removed');
    await shoot(page, 'workflow-experiment-delete-confirm');
    await Promise.all([page.waitForURL(/\/experiments\?deleted=/), page.click('button:has-text("Delete the experiment")')]);
    expect(await page.locator('.banner.success').textContent()).toContain('12 planned runs removed, 0 rendered runs kept');
    await shoot(page, 'workflow-experiment-deleted');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('renders find their model (real Chromium)', () => {
  it('uploads a render named flux1-dev-fp8 into a planned FLUX.1 Dev sweep, with the match shown for confirmation', async () => {
    const { page, problems } = await openPage();
    const plan = await page.request.post(`${base}/api/v1/experiments`, {
      data: { name: 'Dev on the 4090', model: 'flux-dev', steps: '10,20', seeds: ['42'], prompts: ['a lighthouse at dusk'] },
    });
    expect(plan.status()).toBe(201);
    const experiment = (await plan.json()) as { id: number; cells: { runId: number; steps: number }[] };
    const planned = experiment.cells.find((c) => c.steps === 20)!.runId;
    const bytes = await convergingRender({ steps: 20, seed: 42, prompt: 'a lighthouse at dusk', model: 'flux1-dev-fp8', size: 96 });

    await page.goto(`${base}/images`, { waitUntil: 'load' });
    await page.setInputFiles('#image-files', { name: 'ComfyUI_00042_.png', mimeType: 'image/png', buffer: bytes });
    await page.click('#image-form button[type="submit"]');
    await page.waitForSelector('#image-results table');
    const row = page.locator('#image-results tbody tr').first();
    expect(await row.textContent()).toContain(`Run #${planned} (flux-dev, 20 steps)`);
    expect(await row.locator('.match-note').textContent()).toContain('“flux1-dev-fp8” was matched to FLUX.1 Dev as its fp8 build');
    await shoot(page, 'workflow-upload-flux1-dev-fp8');

    await page.goto(`${base}/experiments/${experiment.id}`, { waitUntil: 'load' });
    expect(await page.locator('#experiment-progress').getAttribute('value')).toBe('1');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('run management (real Chromium)', () => {
  it('opens a run detail page, then deletes two runs with the multi-select and keeps the filter', async () => {
    const { page, problems } = await openPage();
    for (const steps of [10, 20, 30]) {
      const res = await page.request.post(`${base}/api/v1/runs`, { data: { model: 'flux-schnell', steps: steps / 10, durationMs: 900 * steps, score: 6 + steps / 10, hardware: 'RTX 3090', sampler: 'euler', prompt: `a kite ${steps}` } });
      expect(res.status()).toBe(201);
    }
    await page.goto(`${base}/runs?model=flux-schnell`, { waitUntil: 'load' });
    await Promise.all([page.waitForURL(/\/runs\/\d+\?back=/), page.locator('.runs-table tbody tr').first().locator('a:has-text("Open")').click()]);
    expect(await page.locator('h1').textContent()).toMatch(/^Run #\d+: FLUX\.1 Schnell, \d steps$/);
    expect(await page.locator('.settings-list').first().textContent()).toContain('RTX 3090');
    await shoot(page, 'workflow-run-detail');

    await page.goto(`${base}/runs?model=flux-schnell`, { waitUntil: 'load' });
    const boxes = page.locator('input[name="ids"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await Promise.all([page.waitForLoadState('load'), page.click('button[value="delete"]')]);
    expect(await page.locator('.confirm').textContent()).toContain('2 selected runs will be deleted');
    await shoot(page, 'workflow-multi-delete-confirm');
    await Promise.all([page.waitForURL(/done=deleted/), page.click('button:has-text("Delete 2 runs")')]);
    expect(page.url()).toContain('model=flux-schnell');
    expect(await page.locator('.banner.success').textContent()).toContain('Deleted 2 runs.');
    expect(await page.locator('.runs-table tbody tr').count()).toBe(1);
    await shoot(page, 'workflow-multi-delete-done');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the demo shows everything (real Chromium)', () => {
  it('loads the demo; its gallery, rate page and experiment report have content; a tag filter leaves it out', async () => {
    const { page, problems } = await openPage();
    // Earlier tests logged runs, so the dashboard shows no "Load demo data" button: post its form directly.
    const res = await page.request.post(`${base}/demo`, { headers: { origin: base } });
    expect(res.status()).toBeLessThan(400);
    await page.goto(`${base}/models/flux-dev/gallery`, { waitUntil: 'load' });
    expect(await page.locator('img[src$="/thumb"]').count()).toBeGreaterThanOrEqual(10);
    await shoot(page, 'workflow-demo-gallery');

    const experiments = (await (await page.request.get(`${base}/api/v1/experiments`)).json()) as { experiments: { id: number; name: string }[] };
    const demo = experiments.experiments.find((e) => e.name.startsWith('Demo:'))!;
    await page.goto(`${base}/rate?experiment=${demo.id}`, { waitUntil: 'load' });
    expect(await page.locator('img[src*="/images/"]').count()).toBeGreaterThanOrEqual(2);
    await shoot(page, 'workflow-demo-rate');

    await page.goto(`${base}/experiments/${demo.id}`, { waitUntil: 'load' });
    const spots = await page.locator('.metric-spots').textContent();
    expect(spots).toContain('convergence');
    expect(spots).toContain('blind preference');
    await shoot(page, 'workflow-demo-experiment-report');

    await page.goto(`${base}/models/flux-dev`, { waitUntil: 'load' });
    expect(await page.locator('.banner.demo').textContent()).toContain('made-up demo renders');
    await Promise.all([page.waitForURL(/excludeTag=demo/), page.click('.banner.demo a:has-text("Leave them out")')]);
    expect(await page.locator('.banner.demo').count()).toBe(0);
    expect(await page.locator('body').textContent()).toContain('Without tag: demo');
    await shoot(page, 'workflow-report-without-demo');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('phone layout (real Chromium, 390 px)', () => {
  it('the import page and a model report do not scroll sideways on a 390 px phone', async () => {
    const { page, problems } = await openPage(390, 844);
    for (const [url, name] of [['/import', 'workflow-phone-import'], ['/models/flux-dev', 'workflow-phone-report']] as const) {
      await page.goto(`${base}${url}`, { waitUntil: 'load' });
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as number;
      await shoot(page, name);
      expect(overflow, `${url} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
