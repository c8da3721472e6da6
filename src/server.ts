import { createApp } from './app.js';
import type { Config } from './config.js';
import { connectDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { startAnalysisWarmer } from './services/analysis-warmer.js';
import { cleanUpInterruptedImports } from './services/import-runs.js';
import { resumeInterruptedRenderJobs } from './services/render-queue/render-jobs.js';
import { cleanUpTempFiles } from './services/temp-files.js';

/** Starts the server: config → db → migrate → createApp(deps).listen. Resolves once it listens. */
export async function startServer(config: Config): Promise<{ url: string; close: () => Promise<void> }> {
  // A long-running writer: WAL checkpoints run in their own thread, off the request path.
  const db = connectDatabase(config.database, { checkpointInBackground: true });
  await migrateToLatest(db);
  const cleaned = await cleanUpInterruptedImports(db);
  if (cleaned > 0) console.error(`Cleaned up ${cleaned} interrupted import${cleaned === 1 ? '' : 's'} (nothing of them was kept).`);
  const temps = await cleanUpTempFiles(config.dataDir);
  if (temps > 0) console.error(`Removed ${temps} temporary file${temps === 1 ? '' : 's'} left by interrupted uploads.`);
  const app = createApp({ db, config });
  const warmer = startAnalysisWarmer(db);
  // Render jobs that were running (or waiting for scores) when sweetspot stopped go on in the background.
  await resumeInterruptedRenderJobs(db, config);
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            warmer.stop();
            server.close(() => db.destroy().then(() => done()));
          }),
      });
    });
    server.on('error', reject);
  });
}
