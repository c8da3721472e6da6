// Runs one export of every run to nowhere and prints its time and peak memory (run as a separate
// process so each measurement starts from a clean heap).
import { Writable } from 'node:stream';
import { connectDatabase } from '../../src/db/connect.js';
import { writeRunsExport, type RunExportFormat } from '../../src/services/export-runs.js';

const [file, format] = [process.argv[2]!, (process.argv[3] ?? 'csv') as RunExportFormat];
const db = connectDatabase(file);
let bytes = 0;
const sink = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    bytes += chunk.length;
    callback();
  },
});
const start = performance.now();
const rows = await writeRunsExport(db, {}, format, sink);
const ms = performance.now() - start;
await db.destroy();
console.log(JSON.stringify({ rows, bytes, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
