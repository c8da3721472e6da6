import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/**
 * A temporary folder and database for each test, and `cli(...args)` running the sweetspot command
 * in-process against them (`cliWithStdin(text, ...args)` with `text` as its standard input). `ctx.dir` and `ctx.env` are fresh in every test.
 */
export function useCliSandbox(prefix = 'sweetspot-cli-') {
  const ctx = { dir: '', env: {} as Record<string, string> };
  beforeEach(() => {
    ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    ctx.env = { SWEETSPOT_DB: path.join(ctx.dir, 'test.db'), SWEETSPOT_DATA_DIR: ctx.dir };
  });
  afterEach(() => fs.rmSync(ctx.dir, { recursive: true, force: true }));
  async function cliWithStdin(stdin: string, ...args: string[]): Promise<CliResult> {
    let out = '';
    let err = '';
    const io: CliIo = { env: ctx.env, out: (t) => (out += t), err: (t) => (err += t), isTty: false, stdin: Readable.from([stdin]) };
    const code = await runCli(args, io);
    return { code, out, err };
  }
  /** `sweetspot ...args` with an empty standard input. */
  const cli = (...args: string[]) => cliWithStdin('', ...args);
  return { ctx, cli, cliWithStdin };
}
