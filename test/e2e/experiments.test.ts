import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { connectDatabase, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { fillPlannedRunFromImage } from '../../src/services/experiments.js';
import { imagePath } from '../../src/services/image-files.js';
import { launchChromium } from '../helpers/chromium.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(ROOT, 'test-output', 'screenshots');

let dir: string;
let config: Config;
let db: Db;
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sweetspot-e2e-experiments-'));
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

/** A page that records every console error and uncaught exception (a CSP violation is one). */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return { page, problems };
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Stores a small PNG for every planned run the way an upload does (content-addressed file under the
 * data folder, an images row) and matches it to its planned run by its settings.
 */
async function renderThePlan(experimentId: number): Promise<number> {
  const runs = await db.selectFrom('runs').select(['id', 'steps', 'seed', 'prompt']).where('experiment_id', '=', experimentId).execute();
  for (const run of runs) {
    const shade = Math.min(255, run.steps * 5);
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: (run.id * 37) % 256, b: 255 - shade } } }).png().toBuffer();
    const sha256 = createHash('sha256').update(png).digest('hex');
    const file = imagePath(config.dataDir, sha256, 'image/png');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, png);
    const image = await db
      .insertInto('images')
      .values({ sha256, mime: 'image/png', bytes: png.length, width: 64, height: 48, metadata: null, original_name: `render-${run.id}.png`, created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const matched = await fillPlannedRunFromImage(db, { model: 'flux-dev', steps: run.steps, seed: run.seed!, prompt: run.prompt! }, Number(image.id));
    expect(matched?.runId).toBe(run.id);
  }
  return runs.length;
}

describe('plan, fill in, rate blind (real Chromium)', () => {
  it('plans a sweep from the page, fills the grid by keyboard, rates pairs blind, and the report updates', async () => {
    const { page, problems } = await openPage();

    // 1. Plan a small sweep with the page's form.
    await page.goto(`${base}/experiments`, { waitUntil: 'load' });
    await page.selectOption('select[name="model"]', 'flux-dev');
    await page.fill('input[name="steps"]', '10-30 (+10)');
    await page.fill('input[name="randomSeeds"]', '2');
    await page.fill('textarea[name="prompts"]', 'a red fox in snow');
    await page.fill('input[name="hardware"]', 'RTX 4090');
    await shoot(page, 'experiments-plan-form');
    await Promise.all([page.waitForURL(/\/experiments\/\d+(#\w+)?$/), page.click('button[type="submit"]:has-text("Plan the sweep")')]);
    const experimentId = Number(/\/experiments\/(\d+)/.exec(page.url())![1]);
    expect(await page.locator('h1').textContent()).toBe('FLUX.1 Dev, 10, 20, 30 steps');
    expect(await page.locator('input.cell-time').count()).toBe(6);

    // 2. Fill the grid with the keyboard: time, Tab, score, then Enter (or Tab) to the next cell.
    const values: [string, string][] = [
      ['7.1', '4.5'], ['13.8', '7.2'], ['20.5', '7.6'],
      ['7.0', '4.9'], ['13.6', '7.0'], ['20.4', '7.7'],
    ];
    await page.locator('input.cell-time').first().focus();
    for (const [i, [time, score]] of values.entries()) {
      await page.keyboard.type(time);
      await page.keyboard.press('Tab');
      await page.keyboard.type(score);
      await page.keyboard.press(i % 2 === 0 ? 'Enter' : 'Tab');
    }
    // Each cell saved itself through the API when the focus left it.
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('td.grid-cell.saved').length === 6);
    // Arrow keys move between cells: up from the second row lands in the first row's same input.
    await page.locator(`input.cell-score[data-row="1"][data-col="3"]`).focus();
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-row') + ':' + (globalThis as any).document.activeElement?.getAttribute('data-col'))).toBe('0:3');
    await shoot(page, 'experiment-grid-filled');

    await page.reload({ waitUntil: 'load' });
    expect(await page.locator('#experiment-progress').getAttribute('value')).toBe('6');
    expect(await page.locator('input.cell-time').first().inputValue()).toBe('7.1');
    expect(await page.locator('input.cell-score').nth(5).inputValue()).toBe('7.7');
    expect(await page.locator('tr[data-metric="score"]').count()).toBe(1);
    expect(await page.locator('.judgement-count').textContent()).toBe('0');

    // 3. The renders arrive (as uploads would store them) and are matched to the plan.
    expect(await renderThePlan(experimentId)).toBe(6);

    // 4. Rate pairs blind with the keyboard.
    await page.goto(`${base}/rate?experiment=${experimentId}`, { waitUntil: 'load' });
    const images = page.locator('.pair img');
    expect(await images.count()).toBe(2);
    expect(await page.locator('.pair').textContent()).not.toMatch(/\d+\s*steps/);
    await page.waitForFunction(() => Array.from((globalThis as any).document.querySelectorAll('.pair img') as ArrayLike<{ complete: boolean; naturalWidth: number }>).every((img) => img.complete && img.naturalWidth === 64));
    // The name field has the focus while it is empty; Enter leaves it.
    await page.keyboard.type('ann');
    await page.keyboard.press('Enter');
    await shoot(page, 'rate-pair');
    for (const key of ['ArrowRight', '2', 'ArrowDown', 'ArrowLeft']) {
      // A new document loads after each answer (the URL may repeat when two answers are alike).
      await Promise.all([page.waitForEvent('load'), page.keyboard.press(key)]);
      expect(page.url()).toMatch(/rated=/);
      expect(await page.locator('.banner.success').textContent()).toMatch(/Saved/);
      // The name is remembered for the next pair.
      expect(await page.locator('#rater').inputValue()).toBe('ann');
    }
    const judgements = await db.selectFrom('judgements').selectAll().execute();
    expect(judgements).toHaveLength(4);
    expect(judgements.map((j) => j.outcome)).toEqual(['b', 'b', 'tie', 'a']);
    expect(new Set(judgements.map((j) => j.rater))).toEqual(new Set(['ann']));

    // 5. The experiment report shows the judgements and the blind preference beside the score.
    await page.goto(`${base}/experiments/${experimentId}`, { waitUntil: 'load' });
    expect(await page.locator('.judgement-count').textContent()).toBe('4');
    expect(await page.locator('tr[data-metric="preference"]').count()).toBe(1);
    expect(await page.locator('tr[data-metric="score"] td.spot').textContent()).toMatch(/^(\d+ steps|—)$/);
    expect(await page.locator('.plateau-evidence').textContent()).toMatch(/judgements/);
    await shoot(page, 'experiment-report');

    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
