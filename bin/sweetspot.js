#!/usr/bin/env node
// The `sweetspot` command: runs the bundled CLI in dist/bundle/, which `npm install` builds (the prepare
// script) and `npm run build` rebuilds. Bundled JavaScript starts in a fraction of the time tsx takes
// to compile the TypeScript at every start (scripts/build.mjs).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/bundle/cli.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  // Installed without running scripts (`npm install --ignore-scripts`): still works, from the source.
  process.stderr.write('sweetspot: dist/ is not built, so the TypeScript is compiled at every start (slow); run `npm run build`.\n');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
