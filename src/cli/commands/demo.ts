import type { Command } from 'commander';
import { loadDemo, removeDemo } from '../../services/demo.js';
import { withDatabase } from '../context.js';
import type { CliIo } from '../io.js';

export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('load a clearly labelled demo data set (runs tagged "demo"), or remove it with --remove')
    .option('--remove', 'remove every demo run')
    .action(async (options: { remove?: boolean }) => {
      await withDatabase(io, async (db, config) => {
        if (options.remove) {
          const removed = await removeDemo(db, config);
          io.out(`Removed ${removed} demo runs.\n`);
          return;
        }
        const { added, total } = await loadDemo(db, config);
        io.out(
          added > 0
            ? `Loaded ${added} demo runs (tagged "demo"). Remove them with: sweetspot demo --remove\n`
            : `The demo data is already loaded (${total} runs). Remove it with: sweetspot demo --remove\n`,
        );
      });
    });
}
