// The WAL checkpointer's thread (see wal-checkpointer.ts). Plain CommonJS because a worker thread
// does not inherit the TypeScript loader the app runs under. It opens its own connection to the
// database file and copies committed WAL pages back into it every few milliseconds, so the server's
// thread never pauses for a checkpoint between requests.
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);

const db = new SQLite(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');

function checkpoint() {
  try {
    // PASSIVE: copies what no reader still needs, never waits for or blocks the writer.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A busy or vanished database: the next tick tries again; the writer's own automatic
    // checkpoint (kept as a backstop) covers a checkpointer that can no longer work.
  }
}

const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  // The writer waits on this before it closes its own connection (see stop in wal-checkpointer.ts).
  Atomics.store(workerData.closed, 0, 1);
  Atomics.notify(workerData.closed, 0);
  parentPort.close();
});
