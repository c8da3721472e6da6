// A writer process for the concurrency stress test: logs runs through the same service as the CLI, on
// a connection of its own, for a given time; prints each acknowledged run id on its own line.
// Usage: node --import tsx test/stress/writer-process.ts DB_FILE DURATION_MS LABEL
import { connectDatabase } from '../../src/db/connect.js';
import { createRun } from '../../src/services/runs.js';
import { runInputSchema } from '../../src/validation/run-input.js';

const [file, duration, label] = process.argv.slice(2);
const db = connectDatabase(file!);
const until = Date.now() + Number(duration);
let failures = 0;
for (let i = 0; Date.now() < until; i++) {
  try {
    const input = runInputSchema.parse({ model: 'flux-dev', steps: 1 + (i % 50), score: (i % 11) - (i % 11 === 10 ? 0 : 0), durationMs: 1000 + i, tags: ['stress', label], notes: `${label} ${i}` });
    const run = await createRun(db, input, 'cli');
    process.stdout.write(`${run.id}\n`);
  } catch (err) {
    failures++;
    process.stderr.write(`ERROR ${err instanceof Error ? `${(err as { code?: string }).code ?? ''} ${err.message}` : String(err)}\n`);
  }
}
await db.destroy();
process.exitCode = failures > 0 ? 1 : 0;
