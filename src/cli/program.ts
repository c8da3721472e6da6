import { Command, CommanderError } from 'commander';
import { DISK_FULL_MESSAGE, isDiskFullError } from '../services/disk-full.js';
import { InputError, NotFoundError, ConflictError } from '../services/errors.js';
import { CliError, type CliIo } from './io.js';
import { StartupError } from '../startup-error.js';

/** Adds a command (with its options and action) to the program. */
type RegisterCommand = (program: Command, io: CliIo) => void;

interface LazyCommand {
  /** The command as typed: `sweetspot NAME …`. */
  name: string;
  /** What `sweetspot --help` lists for it; the same text as the command's own description (a test checks). */
  summary: string;
  /** Imports the module that registers the command: only when the command runs or asks for its own help. */
  load: () => Promise<RegisterCommand>;
}

/**
 * Every command, one line each, in the order `--help` lists them. A command's module is imported only
 * when that command runs, so `sweetspot log` loads neither the web app, image decoding, PostgreSQL,
 * the report charts nor the import parsers (test/cli/lazy-commands.test.ts checks what it loaded).
 * Two lines may name the same module (it registers both commands) or the same name (`export runs`
 * and `export settings` are two modules under one `export`): all that match are loaded.
 */
const COMMANDS: readonly LazyCommand[] = [
  { name: 'serve', summary: 'start the web app and API', load: () => import('./commands/server.js').then((m) => m.registerServer) },
  { name: 'migrate-data', summary: 'copy a whole tracker to another database (SQLite file ↔ postgres:// URL), verified by counts and a checksum of the runs', load: () => import('./commands/migrate-data.js').then((m) => m.registerMigrateData) },
  { name: 'migrate', summary: 'bring the database schema up to date', load: () => import('./commands/migrate.js').then((m) => m.registerMigrate) },
  { name: 'log', summary: 'log one test render', load: () => import('./commands/log.js').then((m) => m.registerLog) },
  { name: 'runs', summary: 'list runs in a table (newest first), with filters', load: () => import('./commands/runs.js').then((m) => m.registerRuns) },
  { name: 'demo', summary: 'load a clearly labelled demo data set (runs tagged "demo"), or remove it with --remove', load: () => import('./commands/demo.js').then((m) => m.registerDemo) },
  { name: 'analyze', summary: 'analyse a CSV of renders (columns steps,score; optional duration_ms, model, seed, prompt); nothing is stored', load: () => import('./commands/analyze.js').then((m) => m.registerAnalyze) },
  { name: 'report', summary: "print every stored model's analysis", load: () => import('./commands/analyze.js').then((m) => m.registerAnalyze) },
  { name: 'import', summary: 'import runs from CSV, JSON or NDJSON files (.csv, .json, .ndjson, .jsonl), each file all or nothing, and from render images (.png, .jpg, .jpeg, .webp) with their embedded settings', load: () => import('./commands/import.js').then((m) => m.registerImport) },
  { name: 'export', summary: 'export the runs or documented settings', load: () => import('./commands/export-runs.js').then((m) => m.registerExportRuns) },
  { name: 'export', summary: 'export the runs or documented settings', load: () => import('./commands/export-settings.js').then((m) => m.registerExportSettings) },
  { name: 'plan', summary: 'plan a sweep: every step count × seed × prompt becomes a planned run to fill in', load: () => import('./commands/plan.js').then((m) => m.registerPlan) },
  { name: 'experiment', summary: 'delete or archive a planned sweep', load: () => import('./commands/experiment.js').then((m) => m.registerExperiment) },
  { name: 'token', summary: 'print a new strong SWEETSPOT_TOKEN (256 random bits)', load: () => import('./commands/token.js').then((m) => m.registerToken) },
  { name: 'backup', summary: "copy the database to FILE with SQLite's online backup (safe while the server runs)", load: () => import('./commands/backup.js').then((m) => m.registerBackup) },
  { name: 'renderer', summary: 'the ComfyUI and A1111/Forge servers sweetspot renders on', load: () => import('./commands/renderer.js').then((m) => m.registerRenderer) },
  { name: 'run', summary: "render an experiment's plan on your ComfyUI / A1111 renderers (grid: every planned run; --adaptive: rounds chosen by the analysis), with progress", load: () => import('./commands/run.js').then((m) => m.registerRun) },
];

/** The command line names (`log` in `sweetspot log …`, `sweetspot help log`), or undefined for `sweetspot --help`. */
function commandNamed(args: readonly string[]): string | undefined {
  const first = args.findIndex((arg) => !arg.startsWith('-'));
  if (first === -1) return undefined;
  return args[first] === 'help' ? args[first + 1] : args[first];
}

/**
 * The program with the command that `args` names fully registered (its module imported) and every
 * other command as a name and summary only, enough for `--help` and for commander's "unknown command".
 */
export async function buildProgram(io: CliIo, args: readonly string[] = []): Promise<Command> {
  const program = new Command('sweetspot')
    .description('Find, per image model, the step count where more inference steps stop paying off.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)');
  const wanted = commandNamed(args);
  for (const command of COMMANDS.filter((c) => c.name === wanted)) (await command.load())(program, io);
  for (const command of COMMANDS) {
    if (!program.commands.some((c) => c.name() === command.name)) program.command(command.name).description(command.summary);
  }
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  return program;
}

/** Every command fully registered (each module imported): for tests that look at all of them. */
export async function buildFullProgram(io: CliIo): Promise<Command> {
  const program = new Command('sweetspot');
  // A module behind two lines (analyze and report) registers both commands once.
  const registers = new Set(await Promise.all(COMMANDS.map((command) => command.load())));
  for (const register of registers) register(program, io);
  return program;
}

/** The commands' names and summaries as `--help` lists them without loading them. */
export function lazyCommandSummaries(): { name: string; summary: string }[] {
  return COMMANDS.map(({ name, summary }) => ({ name, summary }));
}

/** Runs the CLI with `args` (without "node sweetspot"); resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  try {
    await (await buildProgram(io, args)).parseAsync([...args], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    // config.ts brings zod: imported here, on failure, so that `sweetspot --help` does without it.
    const { ConfigError } = await import('../config.js');
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
