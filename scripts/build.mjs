#!/usr/bin/env node
// `npm run build` (and `npm install`, through the prepare script): compiles every .ts file under src/
// and migrations/ to JavaScript in dist/, keeping the folders (dist/src, dist/migrations) so that the
// paths between them stay as in the source, and copies every other file under src/ (the .cjs worker
// scripts) beside them. No file list to maintain: whatever lies under those folders is built.
//
// esbuild only strips the types (a build in well under a second, where tsc takes 13 s on this machine);
// the types are checked by `npm run typecheck` and `npm test`. views/ and public/ are not copied: the
// app finds them in the package folder, the one that holds package.json (src/package-root.ts).
//
// The build is written to a fresh folder and swapped in whole, so dist/ never mixes an old and a new
// build, and a migration or module deleted from the source does not live on in dist/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_FOLDERS = ['src', 'migrations'];
const dist = path.join(root, 'dist');
const staging = path.join(root, `dist.building-${process.pid}`);

/** Every file under `folder`, as paths relative to the package root. */
function filesUnder(folder) {
  return fs
    .readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/**
 * Packages left out of the bundle and loaded from node_modules at run time: native addons (better-sqlite3,
 * sharp), packages with optional native parts (pg, and pg-native behind it), and the two whose files the
 * app serves or starts as they lie (chart.js is served to the browser; tsx is the dev-mode loader).
 */
const EXTERNAL = ['better-sqlite3', 'sharp', 'pg', 'pg-native', 'chart.js', 'tsx'];

/**
 * The two programs, `sweetspot` (src/cli.ts → dist/bundle/cli.js) and the server (src/main.ts →
 * dist/bundle/main.js), bundled: our modules and the pure-JavaScript packages (express, kysely, zod,
 * ejs, commander, csv-*, …) become a few dozen files instead of ~600 modules, which was most of the
 * start-up time of a short command. Each dynamic import() (the CLI's commands, loaded when they run)
 * becomes its own chunk, loaded just as late. The migrations are bundled too (dist/migrations/, over
 * their file-by-file builds), sharing the bundle's chunks: one Kysely, not a second one from node_modules.
 *
 * Code that finds files relative to its own module (`new URL('./checkpoint-worker.cjs', import.meta.url)`,
 * the migrations folder in db/migrate.ts, package-root.ts, worker entries) must not see where the
 * bundle put it: in every source module, `import.meta.url` (and `.filename`, `.dirname`) is rewritten
 * to the URL of the same module in the file-by-file build (dist/src/…, dist/migrations/…). Every bundle
 * file lies one folder below dist/ (dist/bundle/, dist/migrations/), so one relative path serves each
 * module in whichever file esbuild puts it; the worker scripts the code starts by path are the
 * file-by-file ones, unbundled.
 */
async function bundle(typescript) {
  const ownUrl = {
    name: 'own-module-url',
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, async (args) => {
        const relative = path.relative(root, args.path);
        if (relative.startsWith('..') || relative.startsWith('node_modules')) return undefined;
        const twin = `../${relative.replace(/\.ts$/, '.js').split(path.sep).join('/')}`;
        const url = `new URL(${JSON.stringify(twin)}, import.meta.url).href`;
        let contents = await fs.promises.readFile(args.path, 'utf8');
        if (/\bimport\.meta\.(filename|dirname)\b/.test(contents)) {
          contents =
            "import { fileURLToPath as __ownFileURLToPath } from 'node:url'; import { dirname as __ownDirname } from 'node:path';\n" +
            contents
              .replace(/\bimport\.meta\.filename\b/g, `__ownFileURLToPath(${url})`)
              .replace(/\bimport\.meta\.dirname\b/g, `__ownDirname(__ownFileURLToPath(${url}))`);
        }
        return { contents: contents.replace(/\bimport\.meta\.url\b/g, `(${url})`), loader: 'ts' };
      });
    },
  };
  // zod puts every one of its ~50 message languages on `z.locales`, half of its size in the bundle,
  // which `sweetspot log` would parse at every start. The app uses English only (zod's default, which
  // zod's schemas import on their own): the bundle's `z.locales` holds just `en`.
  const englishOnlyZod = {
    name: 'english-only-zod',
    setup(builder) {
      builder.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(path.dirname(args.importer), '../locales/index.js'), namespace: 'zod-english' } : undefined,
      );
      builder.onLoad({ filter: /.*/, namespace: 'zod-english' }, (args) => ({
        contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
        loader: 'js',
        resolveDir: path.dirname(args.path),
      }));
    },
  };
  const migrations = typescript.filter((file) => file.startsWith(`migrations${path.sep}`));
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      'bundle/cli': 'src/cli.ts',
      'bundle/main': 'src/main.ts',
      ...Object.fromEntries(migrations.map((file) => [file.replace(/\.ts$/, '').split(path.sep).join('/'), file])),
    },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    chunkNames: 'bundle/chunk-[hash]',
    sourcemap: true,
    metafile: true,
    // Less to read and parse at each start; names are kept (stack traces, and the source maps map back).
    minifyWhitespace: true,
    minifySyntax: true,
    // Classes and functions keep their names (a bundle may rename one that clashes): the dialect is
    // told by `adapter.constructor.name` (db/connect.ts, the first migration).
    keepNames: true,
    plugins: [ownUrl, englishOnlyZod],
    // CommonJS packages in an ES module bundle: their require() of Node's modules and of the external
    // packages, and their __filename and __dirname (only where a package uses them as globals: `define`
    // leaves a module's own variables of those names alone) come from this header, one per file.
    banner: {
      js: [
        "import { createRequire as __bundleCreateRequire } from 'node:module';",
        "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
        "import { dirname as __bundleDirname } from 'node:path';",
        'const require = __bundleCreateRequire(import.meta.url);',
        'const __bundleFilename = __bundleFileURLToPath(import.meta.url);',
        'const __bundleDirnameOfFile = __bundleDirname(__bundleFilename);',
      ].join(' '),
    },
    define: { __filename: '__bundleFilename', __dirname: '__bundleDirnameOfFile' },
    logLevel: 'warning',
  });
  // Which source files and packages each bundle file holds: the lazy-loading tests read it to tell
  // what a command loaded (test/cli/lazy-commands.test.ts).
  const contents = Object.fromEntries(
    Object.entries(result.metafile.outputs)
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, output]) => [path.relative(staging, path.resolve(root, file)).split(path.sep).join('/'), Object.keys(output.inputs)]),
  );
  fs.writeFileSync(path.join(staging, 'bundle', 'contents.json'), JSON.stringify(contents, null, 1));
}

const files = SOURCE_FOLDERS.flatMap(filesUnder);
const typescript = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
const others = files.filter((file) => !file.endsWith('.ts'));

try {
  await build({
    absWorkingDir: root,
    entryPoints: typescript,
    outdir: staging,
    outbase: '.',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  await bundle(typescript);
  for (const file of others) {
    fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(staging, file));
  }
  const old = `${dist}.old-${process.pid}`;
  if (fs.existsSync(dist)) fs.renameSync(dist, old);
  fs.renameSync(staging, dist);
  fs.rmSync(old, { recursive: true, force: true });
} catch (err) {
  fs.rmSync(staging, { recursive: true, force: true });
  console.error(`build failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
console.log(`built ${typescript.length} TypeScript files and copied ${others.length} other files to dist/`);
