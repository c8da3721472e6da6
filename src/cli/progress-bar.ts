import type { CliIo } from './io.js';

const WIDTH = 24;
/** Redraws at most this often. */
const INTERVAL_MS = 100;

function megabytes(bytes: number): string {
  return (bytes / 1_048_576).toFixed(bytes < 10 * 1_048_576 ? 1 : 0);
}

/**
 * A one-line progress bar on stderr for reading a file: the share of its bytes read, rows and bytes.
 * Draws only when stderr is a terminal; `done()` clears the line.
 */
export function fileProgressBar(io: CliIo, label: string, totalBytes: number) {
  let last = 0;
  let drawn = false;
  const draw = ({ rows, bytes }: { rows: number; bytes: number }) => {
    const share = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 1;
    const filled = Math.round(share * WIDTH);
    io.err(
      `\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%` +
        `  ${rows.toLocaleString('en-US')} rows  ${megabytes(bytes)}/${megabytes(totalBytes)} MB`,
    );
    drawn = true;
  };
  return {
    update(progress: { rows: number; bytes: number }): void {
      if (!io.isTty) return;
      const now = Date.now();
      if (now - last < INTERVAL_MS) return;
      last = now;
      draw(progress);
    },
    done(): void {
      if (drawn) io.err('\r\x1b[K');
    },
  };
}
