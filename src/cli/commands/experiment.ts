import type { Command } from 'commander';
import { archiveExperiment, deleteExperiment, previewExperimentDeletion } from '../../services/experiments/life-cycle.js';
import { withDatabase } from '../context.js';
import { CliError, type CliIo } from '../io.js';

function experimentId(text: string): number {
  if (!/^\d{1,15}$/.test(text) || Number(text) < 1) throw new CliError(`experiment id must be a whole number such as 3 (got "${text}")`);
  return Number(text);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `sweetspot experiment delete|archive ID`: the life cycle of a planned sweep. */
export function registerExperiment(program: Command, io: CliIo): void {
  const experiment = program.command('experiment').description('delete or archive a planned sweep');

  experiment
    .command('delete <id>')
    .description('delete an experiment: its never-rendered planned runs go, its rendered runs stay as runs of their own')
    .option('--delete-rendered', 'also delete the runs that were rendered, timed, scored or given an image')
    .option('--yes', 'delete without asking: without it the command only says what would be deleted')
    .action(async (idText: string, options: { deleteRendered?: boolean; yes?: boolean }) => {
      const id = experimentId(idText);
      await withDatabase(io, async (db) => {
        const preview = await previewExperimentDeletion(db, id);
        const keepRendered = !options.deleteRendered;
        if (!options.yes) {
          io.out(
            `Deleting experiment #${id} "${preview.name}" would remove ${plural(preview.unrendered, 'planned run')} never rendered and ` +
              (keepRendered ? `keep ${plural(preview.rendered, 'rendered run')} as runs of their own.\n` : `also delete ${plural(preview.rendered, 'rendered run')}.\n`) +
              `Run again with --yes to delete it.\n`,
          );
          return;
        }
        const result = await deleteExperiment(db, id, { keepRendered });
        io.out(`Deleted experiment #${id} "${result.name}": ${plural(result.deleted, 'run')} removed, ${plural(result.detached, 'rendered run')} kept.\n`);
      });
    });

  experiment
    .command('archive <id>')
    .description('archive an experiment (out of the list of current experiments; its runs are untouched)')
    .option('--undo', 'bring an archived experiment back')
    .action(async (idText: string, options: { undo?: boolean }) => {
      const id = experimentId(idText);
      await withDatabase(io, async (db) => {
        const result = await archiveExperiment(db, id, !options.undo);
        io.out(
          options.undo
            ? `Experiment #${id} "${result.name}" is current again.\n`
            : `Archived experiment #${id} "${result.name}". Undo with: sweetspot experiment archive ${id} --undo\n`,
        );
      });
    });
}
