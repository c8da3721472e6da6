import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL back into the database file. */
const CHECKPOINT_INTERVAL_MS = 100;

/**
 * The writer's own automatic checkpoint, in pages, while a checkpointer runs: large enough that the
 * checkpointer normally gets there first (SQLite's default is 1,000 pages), small enough to bound
 * the WAL should the checkpointer fall behind.
 */
export const BACKSTOP_CHECKPOINT_PAGES = 20_000;

/** Longest a closing writer waits for the checkpointer to finish its current checkpoint and close. */
const STOP_WAIT_MS = 5000;

/**
 * Starts a worker thread that checkpoints a SQLite database's WAL in the background.
 *
 * SQLite in WAL mode runs a checkpoint inside whichever commit pushes the WAL past 1,000 pages: the
 * committing request then waits while pages are copied and the file synced. With one transaction
 * per request and ten indexes on runs, that was a third of the time of a 1,000-run POST. On its own
 * connection in its own thread the checkpoint runs on the other core instead. Returns `stop`.
 */
export function startWalCheckpointer(file: string): () => void {
  // The worker raises this flag once its connection is closed (see stop below).
  const closed = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./checkpoint-worker.cjs', import.meta.url), {
    workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: CHECKPOINT_INTERVAL_MS, closed },
  });
  worker.unref();
  let exited = false;
  worker.on('exit', () => (exited = true));
  worker.on('error', (err) => console.error(`WAL checkpointer stopped (SQLite checkpoints in the writer again): ${err.message}`));
  /**
   * Closes the checkpointer's connection before the writer closes its own: the last connection to
   * close checkpoints everything and removes the WAL, and that should be the writer, whose close
   * is awaited. Waits synchronously, as SQLite's close is, at most STOP_WAIT_MS.
   */
  return () => {
    if (exited) return;
    worker.postMessage('stop');
    Atomics.wait(closed, 0, 0, STOP_WAIT_MS);
  };
}
