import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

// Flags that keep Chromium from reaching for the closed network (and from needing a sandbox as root).
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The names a system Chromium goes by on PATH. */
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export interface ChromiumChoice {
  path: string;
  /** Where it came from, printed once before the tests (test/helpers/browser-global-setup.ts). */
  source: 'CHROMIUM_PATH' | 'system' | 'bundled';
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first Chromium or Chrome on `PATH`, or undefined. */
export function systemChromium(pathVariable: string | undefined): string | undefined {
  for (const folder of (pathVariable ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of SYSTEM_NAMES) if (isExecutable(path.join(folder, name))) return path.join(folder, name);
  }
  return undefined;
}

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` when set; else the system's chromium or
 * google-chrome on PATH; else the one inside the dev dependency @sparticuz/chromium, a headless
 * build that npm installs with the package (no download) and that is unpacked to the temp folder on
 * first use. `SWEETSPOT_TEST_BROWSER=bundled` skips the system one, as `.ci/run` does once to prove
 * that a fresh clone needs no apt step; `=system` insists on it.
 */
export async function findChromium(env: Record<string, string | undefined> = process.env): Promise<ChromiumChoice> {
  const wanted = env.SWEETSPOT_TEST_BROWSER;
  if (wanted !== undefined && wanted !== '' && wanted !== 'bundled' && wanted !== 'system') {
    throw new Error(`SWEETSPOT_TEST_BROWSER must be "bundled" or "system", not "${wanted}"`);
  }
  if (env.CHROMIUM_PATH) {
    if (!isExecutable(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH names ${env.CHROMIUM_PATH}, which is not an executable file`);
    return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  }
  if (wanted !== 'bundled') {
    const system = systemChromium(env.PATH);
    if (system) return { path: system, source: 'system' };
    if (wanted === 'system') throw new Error(`SWEETSPOT_TEST_BROWSER=system, but none of ${SYSTEM_NAMES.join(', ')} is on PATH`);
  }
  const { default: bundled } = await import('@sparticuz/chromium');
  return { path: await bundled.executablePath(), source: 'bundled' };
}

/** Launches headless Chromium (see findChromium for which), or fails saying why (never skips). */
export async function launchChromium(): Promise<Browser> {
  const { path: executablePath } = await findChromium();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
