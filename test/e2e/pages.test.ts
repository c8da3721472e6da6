import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { startAnalysisWarmer, type AnalysisWarmer } from '../../src/services/analysis-warmer.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { launchChromium } from '../helpers/chromium.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(ROOT, 'test-output', 'screenshots');

interface DrawnChart {
  id: string;
  datasets: number[];
}

let dir: string;
let db: Db;
let server: Server;
let base: string;
let browser: Browser;
let warmer: AnalysisWarmer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sweetspot-e2e-'));
  const config = loadConfig({ SWEETSPOT_DB: path.join(dir, 'e2e.db'), SWEETSPOT_DATA_DIR: dir });
  db = connectDatabase(config.database);
  await migrateToLatest(db);
  const app = createApp({ db, config, logError: (err) => console.error(err) });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const demo = await fetch(`${base}/demo`, { method: 'POST', redirect: 'manual' });
  expect(demo.status).toBe(303);
  // Sweet-spot snapshots are recorded by the warmer when runs change (the server runs it; pages never write).
  warmer = startAnalysisWarmer(db, { intervalMs: 3_600_000 });
  await warmer.refresh();
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  warmer?.stop();
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await db?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A page that records every console error and uncaught exception (a CSP violation is one). */
async function openPage(viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return { page, problems };
}

async function visit(page: Page, url: string): Promise<void> {
  const response = await page.goto(base + url, { waitUntil: 'load' });
  expect(response?.status(), url).toBe(200);
}

// The callbacks below run in the page; the project compiles without the DOM library, so the page's
// globals are reached through `globalThis` with the few shapes they need.
function drawnCharts(page: Page): Promise<DrawnChart[]> {
  return page.evaluate(() => {
    const chart = (globalThis as any).Chart as { instances: Record<string, { canvas: { id: string }; data: { datasets: { data: unknown[] }[] } }> } | undefined;
    if (!chart) return [];
    return Object.values(chart.instances).map((c) => ({ id: c.canvas.id, datasets: c.data.datasets.map((d) => d.data.length) }));
  });
}

function byId(charts: DrawnChart[]): Record<string, number[]> {
  return Object.fromEntries(charts.map((c) => [c.id, c.datasets]));
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe('pages in a real Chromium (demo data)', () => {
  it('dashboard: a card per model with its sweet spot and a server-drawn curve', async () => {
    const { page, problems } = await openPage();
    await visit(page, '/');
    const cards = await page.locator('article.card').count();
    expect(cards).toBeGreaterThanOrEqual(4);
    const curves = await page.locator('svg.spark path.spark-curve').evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''));
    expect(curves.length).toBeGreaterThanOrEqual(4);
    for (const d of curves) expect(d).toMatch(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+$/);
    expect(await page.locator('.card .spot-value .big').allTextContents()).toHaveLength(4);
    await shoot(page, 'dashboard');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('model report: every chart draws its data, and a chart downloads as PNG', async () => {
    const { page, problems } = await openPage();
    await visit(page, '/models/flux-dev');
    const charts = byId(await drawnCharts(page));
    expect(Object.keys(charts).sort()).toEqual(['chart-batch', 'chart-duration', 'chart-marginal', 'chart-quality']);
    // quality: raw points, the fitted curve dashed below the lowest tested step (10) and solid above it, level means, sweet spot
    expect(charts['chart-quality']).toHaveLength(5);
    for (const n of charts['chart-quality']!) expect(n).toBeGreaterThan(0);
    expect(charts['chart-quality']![3]).toBe(9);
    // duration: measured points and fitted line per hardware
    expect(charts['chart-duration']!.length).toBeGreaterThanOrEqual(2);
    for (const n of charts['chart-duration']!) expect(n).toBeGreaterThan(0);
    expect(charts['chart-marginal']![0]).toBeGreaterThan(10);
    for (const n of charts['chart-batch']!) expect(n).toBeGreaterThan(0);

    // Each canvas was actually painted (not blank white).
    const painted = await page.evaluate(() =>
      [...(globalThis as any).document.querySelectorAll('canvas[data-chart]')].map((canvas: any) => {
        const ctx = canvas.getContext('2d');
        const data: Uint8ClampedArray = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let coloured = 0;
        for (let i = 0; i < data.length; i += 16) if (data[i]! < 200 || data[i + 2]! < 200) coloured++;
        return coloured;
      }),
    );
    for (const count of painted) expect(count).toBeGreaterThan(100);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download="chart-quality"]')]);
    expect(download.suggestedFilename()).toMatch(/^flux-1-dev-quality\.png$/);

    // The text equivalent opens to the table of levels.
    await page.click('#chart-quality-figure summary');
    expect(await page.locator('#chart-quality-figure table tbody tr').count()).toBe(9);
    await shoot(page, 'model-report');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('model report: filters stay in the URL and the history chart appears once the sweet spot moved', async () => {
    const { page, problems } = await openPage();
    await visit(page, '/models/flux-pro');
    await page.selectOption('select[name="hardware"]', { index: 1 });
    await Promise.all([page.waitForURL(/hardware=/), page.click('.report-filters button[type="submit"]')]);
    // Blank fields are left out, so the URL names only what was chosen.
    expect(page.url()).toMatch(/\/models\/flux-pro\?metric=score&hardware=[^&]+&rule=plateau-gap$/);
    expect((await drawnCharts(page)).length).toBeGreaterThanOrEqual(3);

    // New runs change the estimate: a second snapshot, so the history can be drawn.
    const more = [80, 100, 120].flatMap((steps) =>
      ['1', '2', '3'].map((seed) => ({ model: 'flux-pro', steps, score: 8.6, durationMs: 500 + 400 * steps, seed, prompt: 'a lighthouse', hardware: 'api' })),
    );
    const posted = await fetch(`${base}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(more) });
    expect(posted.status).toBe(201);
    await warmer.refresh();
    await visit(page, '/models/flux-pro');
    const charts = byId(await drawnCharts(page));
    expect(charts['chart-history']).toEqual([2]);
    await shoot(page, 'model-report-history');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('compare: curves overlaid, a Pareto front, the time switch and the budget planner', async () => {
    const { page, problems } = await openPage();
    await visit(page, '/compare');
    const charts = byId(await drawnCharts(page));
    expect(Object.keys(charts).sort()).toEqual(['chart-curves', 'chart-pareto']);
    // four models: a curve and a sweet-spot marker each
    expect(charts['chart-curves']).toHaveLength(8);
    for (const n of charts['chart-curves']!) expect(n).toBeGreaterThan(0);
    for (const n of charts['chart-pareto']!) expect(n).toBeGreaterThan(0);

    await page.check('input[name="x"][value="time"]');
    expect(page.url()).toMatch(/x=time/);
    const axisTitle = await page.evaluate(() => (globalThis as any).Chart.getChart('chart-curves').options.scales.x.title.text as string);
    expect(axisTitle).toBe('Predicted seconds per render');

    await page.fill('input[name="images"]', '10');
    await page.fill('input[name="minutes"]', '5');
    await page.fill('input[name="drafts"]', '2');
    await Promise.all([page.waitForURL(/images=10/), page.click('.budget-form button[type="submit"]')]);
    expect(await page.locator('p.answer').textContent()).toMatch(/per concept 2 drafts at \d+ steps, then a final at \d+ steps/);
    expect(byId(await drawnCharts(page))['chart-curves']!.every((n) => n > 0)).toBe(true);
    await shoot(page, 'compare');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('stays readable at phone width (390 px): no sideways scrolling', async () => {
    const { page, problems } = await openPage({ width: 390, height: 844 });
    for (const [url, name] of [['/', 'dashboard-phone'], ['/models/flux-dev', 'model-report-phone'], ['/compare', 'compare-phone']] as const) {
      await visit(page, url);
      const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
      expect(width, url).toBeLessThanOrEqual(390);
      if (url !== '/') expect((await drawnCharts(page)).length, url).toBeGreaterThan(0);
      await shoot(page, name);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('prints without navigation, filters or buttons', async () => {
    const { page, problems } = await openPage({ width: 794, height: 1123 });
    await visit(page, '/models/flux-dev');
    await page.emulateMedia({ media: 'print' });
    const display = (selector: string) =>
      page.evaluate((sel) => {
        const g = globalThis as any;
        return g.getComputedStyle(g.document.querySelector(sel)).display as string;
      }, selector);
    for (const selector of ['.topbar', '.report-filters', '[data-download]']) expect(await display(selector), selector).toBe('none');
    expect(await display('.print-only')).toBe('block');
    expect((await drawnCharts(page)).length).toBe(4);
    await shoot(page, 'model-report-print');
    expect(problems).toEqual([]);
    await page.close();
  });
});
