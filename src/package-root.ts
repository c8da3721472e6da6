import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder that holds package.json, views/, public/ and node_modules/. This file runs from src/
 * under tsx and the tests, and from dist/ once built (where the bundle gives each module the URL of its
 * file-by-file build in dist/src/, see scripts/build.mjs), so the folder is found by walking up to the
 * nearest package.json rather than by a fixed number of `..`.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    folder = parent;
  }
  cached = folder;
  return folder;
}
