import { execFileSync } from 'node:child_process';

/**
 * Builds dist/ once before the tests, so that the tests which start `bin/sweetspot.js` as a process
 * run the compiled form of the source being tested, never a build left from older source.
 */
export default function buildOnce(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
