import http, { type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { launchChromium } from '../helpers/chromium.js';

// In a real browser: signing in with the token, and a page of another site that tries to post to the
// tracker (a forged form and a no-cors upload) — refused by the origin check alone, without a token.

const TOKEN = 'e2e-token-0123456789';

let dir: string;
let browser: Browser;
const servers: Server[] = [];
const dbs: Db[] = [];

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${(server.address() as AddressInfo).port}`;
}

async function tracker(env: Record<string, string>): Promise<{ base: string; db: Db }> {
  const config = loadConfig({ SWEETSPOT_DB: path.join(dir, `${dbs.length}.db`), SWEETSPOT_DATA_DIR: dir, ...env });
  const db = connectDatabase(config.database);
  dbs.push(db);
  await migrateToLatest(db);
  const port = await serve(createApp({ db, config, logError: (err) => console.error(err) }));
  return { base: `http://127.0.0.1:${port}`, db };
}

async function runCount(db: Db): Promise<number> {
  return Number((await db.selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sweetspot-e2e-security-'));
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  for (const db of dbs) await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('in a browser', () => {
  it('a write asks for the token, signing in sets an httpOnly cookie, then the form saves', async () => {
    const { base, db } = await tracker({ SWEETSPOT_TOKEN: TOKEN });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/runs/new`);
    await page.locator('form.log-form [name="model"]').selectOption('flux-dev');
    await page.locator('form.log-form [name="steps"]').fill('30');
    await page.locator('form.log-form button[type="submit"]').click();
    await page.waitForURL(/\/sign-in\?next=%2Fruns%2Fnew$/);
    expect(await runCount(db)).toBe(0);

    await page.locator('input[name="token"]').fill('wrong-token-wrong');
    await page.locator('form[action="/sign-in"] button[type="submit"]').click();
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toMatch(/not the token/);
    await page.locator('input[name="token"]').fill(TOKEN);
    await page.locator('form[action="/sign-in"] button[type="submit"]').click();
    await page.waitForURL(`${base}/runs/new`);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'sweetspot_session', httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toContain(TOKEN);

    await page.locator('form.log-form [name="model"]').selectOption('flux-dev');
    await page.locator('form.log-form [name="steps"]').fill('30');
    await page.locator('form.log-form button[type="submit"]').click();
    await expect.poll(() => runCount(db)).toBe(1);
    await context.close();
  }, 60_000);

  it('a page of another site cannot post to the tracker, even with no token set', async () => {
    const { base, db } = await tracker({});
    const images = async () => Number((await db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    // The attacker's page: served from "localhost", another site than "127.0.0.1".
    const evilPort = await serve((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(`<!doctype html><body>
        <form id="f" method="post" action="${base}/runs"><input name="model" value="flux-dev"><input name="steps" value="66"></form>
        <script>
          const data = new FormData();
          data.append('files', new Blob(['not really an image'], { type: 'image/png' }), 'x.png');
          fetch('${base}/api/v1/images', { method: 'POST', mode: 'no-cors', body: data }).finally(() => document.getElementById('f').submit());
        </script></body>`);
    });
    const page = await browser.newPage();
    const answer = page.waitForResponse((res) => res.url() === `${base}/runs`);
    await page.goto(`http://localhost:${evilPort}/`);
    const res = await answer;
    expect(res.status()).toBe(403);
    expect(await res.text()).toMatch(/This write was refused because it was sent from another site/);
    expect(await runCount(db)).toBe(0);
    expect(await images()).toBe(0);
    await page.close();

    // The tracker's own page still saves (its form sends the tracker's Origin).
    const own = await browser.newPage();
    await own.goto(`${base}/runs/new`);
    await own.locator('form.log-form [name="model"]').selectOption('flux-dev');
    await own.locator('form.log-form [name="steps"]').fill('30');
    await own.locator('form.log-form button[type="submit"]').click();
    await expect.poll(() => runCount(db)).toBe(1);
    await own.close();
  }, 60_000);
});
