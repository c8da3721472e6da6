import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFullProgram, lazyCommandSummaries } from '../../src/cli/program.js';

// Each command's module is imported only when that command runs (src/cli/program.ts). These tests
// start the built CLI with a module hook that writes down every file the process imported
// (test/helpers/record-modules.mjs), and look at the list. dist/ is built by the global setup.
//
// The CLI runs bundled (scripts/build.mjs): a file of dist/bundle/ (or a bundled migration) holds
// several modules, which dist/bundle/contents.json lists. A loaded bundle file counts as every source
// module and package file it holds, so the lists below name source files (src/…/*.ts, node_modules/…).
const ROOT = path.resolve(import.meta.dirname, '../..');
let dir = '';
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-lazy-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What each bundle file holds, by its path under dist/. */
function bundleContents(): Record<string, string[]> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/bundle/contents.json'), 'utf8')) as Record<string, string[]>;
}

/** Runs `sweetspot ...args` from dist/ and resolves to the modules it loaded: source files and packages' files, relative to the package folder. */
function modulesLoadedBy(...args: string[]): Promise<string[]> {
  const record = path.join(dir, 'modules.txt');
  const env = { ...process.env, RECORD_MODULES_TO: record, SWEETSPOT_DB: path.join(dir, 'test.db'), SWEETSPOT_DATA_DIR: dir };
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', './test/helpers/record-modules.mjs', 'bin/sweetspot.js', ...args], { cwd: ROOT, env }, (error, _stdout, stderr) => {
      if (error) return reject(new Error(`sweetspot ${args.join(' ')} failed: ${stderr}`));
      const contents = bundleContents();
      const urls = fs.readFileSync(record, 'utf8').split('\n').filter((url) => url.startsWith('file://'));
      const files = urls.map((url) => path.relative(ROOT, new URL(url).pathname));
      const modules = files.flatMap((file) => (file.startsWith('dist/') ? (contents[file.slice('dist/'.length)] ?? [file]) : [file]));
      resolve([...new Set(modules)]);
    }),
  );
}

/** What `log` must not load, and why each would be there. */
const NOT_FOR_LOG: Record<string, RegExp> = {
  'image decoding (sharp)': /^node_modules\/sharp\//,
  'PostgreSQL (pg)': /^node_modules\/pg(-[a-z]+)?\//,
  'the report charts': /report-charts|^node_modules\/chart\.js\//,
  'the image metadata parsers': /^src\/images\//,
  'the import parsers': /^src\/services\/import-|^node_modules\/csv-(parse|stringify)\//,
  'the web app': /^src\/(app|server)\.ts$|^src\/web\/|^node_modules\/(express|ejs)\//,
  'the analysis engine': /^src\/services\/analysis\.ts$|^src\/analysis\/analyze-curve\.ts$/,
};

describe('commands load only what they use', () => {
  it('`log` loads its own module, SQLite and the run service, and none of the heavy parts', async () => {
    const loaded = await modulesLoadedBy('log', '--model', 'flux-dev', '--steps', '20', '--score', '6.5');
    // The record is real: what log needs is in it.
    expect(loaded).toEqual(expect.arrayContaining(['bin/sweetspot.js', 'src/cli/commands/log.ts', 'src/services/runs.ts', 'node_modules/better-sqlite3/lib/index.js']));
    for (const [part, pattern] of Object.entries(NOT_FOR_LOG)) {
      expect(loaded.filter((file) => pattern.test(file)), part).toEqual([]);
    }
    // Nor any other command.
    expect(loaded.filter((file) => file.startsWith('src/cli/commands/'))).toEqual(['src/cli/commands/log.ts']);
  });

  it('`--help` loads no command, no database layer and no validation library', async () => {
    const loaded = await modulesLoadedBy('--help');
    expect(loaded).toContain('src/cli/program.ts');
    expect(loaded.filter((file) => /^src\/cli\/commands\/|^src\/db\/|^node_modules\/(kysely|zod|better-sqlite3)\//.test(file))).toEqual([]);
  });

  it('`serve` is the command that loads the web app (the record tells loaded from not)', async () => {
    const loaded = await modulesLoadedBy('serve', '--help');
    expect(loaded).toContain('src/cli/commands/server.ts');
    expect(loaded).toContain('src/app.ts');
  });
});

describe('the lazy command table', () => {
  it("lists each command with the command's own description, so --help reads the same as before", async () => {
    const program = await buildFullProgram({ env: {}, out: () => undefined, err: () => undefined, isTty: false });
    const descriptions = new Map(program.commands.map((command) => [command.name(), command.description()]));
    for (const { name, summary } of lazyCommandSummaries()) expect(descriptions.get(name), name).toBe(summary);
    expect([...descriptions.keys()].sort()).toEqual([...new Set(lazyCommandSummaries().map((c) => c.name))].sort());
  });
});
