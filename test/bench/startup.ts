// Start-up figures for `npm run bench`: how long `sweetspot --help`, `sweetspot log …` into an existing
// SQLite database, and the server's first answered request take from the moment the process is
// started, each against a bare `node -e ''` started the same way in the same run. The commands run
// compiled, as users run them (bin/sweetspot.js → dist/bundle/cli.js, dist/bundle/main.js), so the bench builds dist/ first.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { percentile } from './measure.js';

/** A figure as run.ts records it. */
export interface StartupFigure {
  name: string;
  value: number;
  unit: string;
  reference: number | null;
  referenceName: string | null;
  target: string | null;
  limit?: number;
}

/** Rounds of each command; the median is kept, as one round on a shared machine can be slowed by a neighbour. */
const ROUNDS = 15;
const SERVER_ROUNDS = 7;
const BIN = 'bin/sweetspot.js';

/** Wall-clock milliseconds from starting `node ...args` to its exit (which must be 0). */
function processMs(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return ms;
}

/** Milliseconds from starting the server (`npm start`'s command) to the first answer of GET /. */
function serverFirstAnswerMs(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['dist/bundle/main.js'], { env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const url = /running at (http:\/\/\S+)/.exec(printed)?.[1];
      if (!url) return;
      printed = ''; // ask once: the URL is printed once
      fetch(`${url}/`)
        .then(async (res) => {
          await res.arrayBuffer();
          const ms = performance.now() - start;
          if (res.status !== 200) throw new Error(`GET / answered ${res.status}`);
          resolve(ms);
        })
        .catch(reject)
        .finally(() => child.kill());
    });
    child.once('error', reject);
  });
}

export async function benchStartup(dir: string, record: (figure: StartupFigure) => unknown): Promise<void> {
  console.log('\nstart-up (compiled, median of rounds started alternately)');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
  const env = { PATH: process.env.PATH, SWEETSPOT_DB: path.join(dir, 'startup.db'), SWEETSPOT_DATA_DIR: path.join(dir, 'startup-data') };
  fs.mkdirSync(env.SWEETSPOT_DATA_DIR, { recursive: true });
  processMs([BIN, 'migrate'], env); // an existing database, as a render loop would log into

  const bare: number[] = [];
  const help: number[] = [];
  const log: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(processMs(['-e', ''], env));
    help.push(processMs([BIN, '--help'], env));
    log.push(processMs([BIN, 'log', '--model', 'flux-dev', '--steps', '30', '--duration', '20.5', '--score', '7.5', '--seed', String(round)], env));
  }
  const server: number[] = [];
  for (let round = 0; round < SERVER_ROUNDS; round++) server.push(await serverFirstAnswerMs(env));

  const bareMs = percentile(bare, 50);
  const reference = { reference: bareMs, referenceName: "bare node -e ''" };
  record({ name: 'sweetspot --help', value: percentile(help, 50), unit: 'ms', ...reference, target: '≤ 4× bare Node', limit: 4 });
  record({ name: 'sweetspot log into an existing SQLite database', value: percentile(log, 50), unit: 'ms', ...reference, target: '≤ 6× bare Node', limit: 6 });
  const serverMs = percentile(server, 50);
  record({ name: "server's first answered request (GET /)", value: serverMs, unit: 'ms', ...reference, target: null });
  record({ name: "server's first answered request, absolute", value: serverMs, unit: 'ms', reference: 1500, referenceName: 'the 1.5 s target', target: '≤ 1.5 s', limit: 1 });
}
