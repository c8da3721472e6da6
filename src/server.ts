import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { connectDatabase, sqliteHandleOf, type Db } from './db/connect.js';
import { describeOpenError } from './db/describe-open-error.js';
import { migrateToLatest } from './db/migrate.js';
import { startAnalysisWarmer } from './services/analysis-warmer.js';
import { tempName, uploadTempDir } from './services/image-files.js';
import { cleanUpInterruptedImports } from './services/import-runs.js';
import { resumeInterruptedRenderJobs } from './services/render-queue/render-jobs.js';
import { cleanUpTempFiles } from './services/temp-files.js';
import { StartupError } from './startup-error.js';

export { StartupError };

/** Writes and removes a file where uploads land, so that an unwritable data folder stops start-up, not an upload. */
async function checkDataFolder(dataDir: string): Promise<void> {
  const probe = tempName(uploadTempDir(dataDir), '.tmp');
  try {
    await fs.promises.mkdir(path.dirname(probe), { recursive: true });
    await fs.promises.writeFile(probe, 'sweetspot start-up check', { flag: 'wx' });
    await fs.promises.rm(probe);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    throw new StartupError(
      `The data folder ${dataDir} is not writable (${code}): sweetspot stores images there. Fix its permissions or set SWEETSPOT_DATA_DIR to another folder.`,
    );
  }
}

/**
 * Opens, migrates and checks the database: a SQLite file must also take a write (a read-only file
 * passes the migrations when there are none to run, then fails on the first write).
 */
async function openDatabase(location: string): Promise<Db> {
  let db: Db | null = null;
  try {
    // A long-running writer: WAL checkpoints run in their own thread, off the request path.
    db = connectDatabase(location, { checkpointInBackground: true });
    await migrateToLatest(db);
    const sqlite = sqliteHandleOf(db);
    // SQLite opens a file it may not write without complaint, and even takes a write lock on it: only
    // a real write fails. Rewrite the header's user_version with its own value, then roll back.
    if (sqlite) {
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        const version = Number(sqlite.pragma('user_version', { simple: true }));
        sqlite.pragma(`user_version = ${version}`);
      } finally {
        sqlite.exec('ROLLBACK');
      }
    }
    return db;
  } catch (err) {
    await db?.destroy().catch(() => undefined);
    throw new StartupError(describeOpenError(location, err));
  }
}

/** Why listening failed, naming the port and address. */
function describeListenError(err: unknown, config: Pick<Config, 'port' | 'host'>): string {
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE') return `Port ${config.port} on ${config.host} is already in use: stop the program using it or set PORT to another port.`;
  if (code === 'EACCES') return `Port ${config.port} on ${config.host} needs more privileges than sweetspot has: use a port above 1023.`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `HOST ${config.host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its addresses.`;
  return `Cannot listen on ${config.host}:${config.port}: ${err instanceof Error ? err.message : String(err)}.`;
}

/**
 * Starts the server: data folder check → db → migrate → clean-ups → createApp(deps) → listen. Resolves
 * once it listens; rejects with a StartupError (and nothing left open) when the data folder is not
 * writable, the database is read-only, damaged or unreachable, or the port is taken.
 */
export async function startServer(config: Config): Promise<{ url: string; close: () => Promise<void> }> {
  await checkDataFolder(config.dataDir);
  const db = await openDatabase(config.database);
  const cleaned = await cleanUpInterruptedImports(db);
  if (cleaned > 0) console.error(`Cleaned up ${cleaned} interrupted import${cleaned === 1 ? '' : 's'} (nothing of them was kept).`);
  const temps = await cleanUpTempFiles(config.dataDir);
  if (temps > 0) console.error(`Removed ${temps} temporary file${temps === 1 ? '' : 's'} left by interrupted uploads.`);
  const app = createApp({ db, config });
  const server = http.createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw new StartupError(describeListenError(err, config));
  }
  // Started once the server listens: the first request should not wait behind its start.
  const warmer = startAnalysisWarmer(db);
  // Render jobs that were running (or waiting for scores) when sweetspot stopped go on in the background.
  await resumeInterruptedRenderJobs(db, config);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((done) => {
        warmer.stop();
        server.close(() => db.destroy().then(() => done()));
      }),
  };
}
