import { findChromium } from './chromium.js';

/**
 * Finds the browser once before the test files start, and says which: the bundled Chromium is
 * unpacked on first use, and doing that here keeps parallel test files from unpacking it at once.
 */
export default async function findBrowserOnce(): Promise<void> {
  const { path, source } = await findChromium();
  console.log(`browser tests: ${source === 'bundled' ? 'the Chromium of @sparticuz/chromium' : source === 'system' ? 'the system Chromium' : 'CHROMIUM_PATH'} (${path})`);
}
