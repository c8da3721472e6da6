import type { Readable, Writable } from 'node:stream';

/** Where a CLI command writes, and the environment it reads: passed in so tests can run commands in-process. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  isTty: boolean;
  /** Standard output as a stream, for commands that stream large output with backpressure (else `out` is used). */
  stdout?: Writable;
  /** Standard input, for commands that read it (`log --stdin`). */
  stdin?: Readable;
}

export const processIo: CliIo = {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: Boolean(process.stderr.isTTY),
  stdout: process.stdout,
  stdin: process.stdin,
};

/** A user-facing failure: printed without a stack trace, exit code 2. */
export class CliError extends Error {
  override name = 'CliError';
}
