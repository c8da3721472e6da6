import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { DISK_FULL_MESSAGE, isDiskFullError } from '../services/disk-full.js';
import { InputError, NotFoundError, ConflictError } from '../services/errors.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerBackup } from './commands/backup.js';
import { registerDemo } from './commands/demo.js';
import { registerExportRuns } from './commands/export-runs.js';
import { registerExportSettings } from './commands/export-settings.js';
import { registerImport } from './commands/import.js';
import { registerLog } from './commands/log.js';
import { registerMigrateData } from './commands/migrate-data.js';
import { registerPlan } from './commands/plan.js';
import { registerRuns } from './commands/runs.js';
import { registerServer } from './commands/server.js';
import { registerToken } from './commands/token.js';
import { CliError, type CliIo } from './io.js';
import { StartupError } from '../startup-error.js';

export function buildProgram(io: CliIo): Command {
  const program = new Command('sweetspot')
    .description('Find, per image model, the step count where more inference steps stop paying off.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)');
  registerServer(program, io);
  registerMigrateData(program, io);
  registerLog(program, io);
  registerRuns(program, io);
  registerDemo(program, io);
  registerAnalyze(program, io);
  registerImport(program, io);
  registerExportRuns(program, io);
  registerExportSettings(program, io);
  registerPlan(program, io);
  registerBackup(program, io);
  registerToken(program, io);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  return program;
}

/** Runs the CLI with `args` (without "node sweetspot"); resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...args], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError || err instanceof ConfigError || err instanceof InputError || err instanceof NotFoundError || err instanceof ConflictError) {
      io.err(`error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof StartupError) {
      io.err(`error: sweetspot could not start: ${err.message}\n`);
      return 1;
    }
    if (isDiskFullError(err)) {
      io.err(`error: ${DISK_FULL_MESSAGE}\n`);
      return 2;
    }
    io.err(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
