import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DuplicateImportError, ImportRejectedError } from '../../services/import-errors.js';
import { IMPORT_EXTENSIONS, formatFromFilename } from '../../services/import-formats.js';
import { importRuns } from '../../services/import-runs.js';
import { withDatabase } from '../context.js';
import { CliError, type CliIo } from '../io.js';
import { whyUnreadable } from '../file-error.js';
import { fileProgressBar } from '../progress-bar.js';
import { IMAGE_EXTENSIONS, importImageFile, isImageFilename } from './import-images.js';

/** Problems printed per rejected file (the API answers with the first 100). */
const SHOWN_PROBLEMS = 20;

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function registerImport(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('import runs from CSV, JSON or NDJSON files (.csv, .json, .ndjson, .jsonl), each file all or nothing, and from render images (.png, .jpg, .jpeg, .webp) with their embedded settings')
    .argument('<files...>', 'the files to import, each on its own')
    .option('--force', 'import a file even when the same file was imported before')
    .action(async (files: string[], options: { force?: boolean }) => {
      await withDatabase(io, async (db, config) => {
        let failed = 0;
        let created = 0;
        for (const [index, file] of files.entries()) {
          if (isImageFilename(file)) {
            const outcome = await importImageFile(db, config, io, file, { index, total: files.length });
            if (outcome.failed) failed++;
            if (outcome.run) created++;
            continue;
          }
          const format = formatFromFilename(file);
          if (format === undefined) {
            io.err(`${file}: not imported: the name must end in ${[...IMPORT_EXTENSIONS, ...IMAGE_EXTENSIONS].join(', ')} to tell its format\n`);
            failed++;
            continue;
          }
          let size: number;
          try {
            size = (await fs.promises.stat(file)).size;
          } catch (err) {
            io.err(`${file}: not imported: cannot read it: ${whyUnreadable(err)}\n`);
            failed++;
            continue;
          }
          const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
          const bar = fileProgressBar(io, path.basename(file), size);
          try {
            const result = await importRuns(db, stream, {
              format,
              filename: path.basename(file),
              force: options.force === true,
              onProgress: bar.update,
            });
            bar.done();
            created += result.created;
            io.out(`${file}: imported ${plural(result.created, 'run')} as import #${result.import.id}\n`);
          } catch (err) {
            bar.done();
            failed++;
            if (err instanceof ImportRejectedError) {
              io.err(`${file}: ${err.message}\n`);
              for (const detail of err.details.slice(0, SHOWN_PROBLEMS)) io.err(`  ${detail.field}: ${detail.message}\n`);
              const more = err.invalidRows > 0 ? err.details.length - SHOWN_PROBLEMS : 0;
              if (more > 0) io.err(`  … and ${plural(more, 'more problem')} listed, ${plural(err.invalidRows, 'bad row')} in all\n`);
            } else if (err instanceof DuplicateImportError) {
              io.err(`${file}: ${err.message.replace('with force', 'with --force')}\n`);
            } else if (typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).syscall) {
              io.err(`${file}: not imported: cannot read it: ${whyUnreadable(err)}\n`);
            } else {
              throw err;
            }
          } finally {
            stream.destroy();
          }
        }
        const imported = files.length - failed;
        if (files.length > 1 || failed > 0) {
          io.out(`Imported ${plural(created, 'run')} from ${plural(imported, 'file')}${failed > 0 ? `; ${plural(failed, 'file')} not imported` : ''}.\n`);
        }
        if (failed > 0) throw new CliError(`${plural(failed, 'file')} of ${files.length} could not be imported: nothing of ${failed === 1 ? 'it' : 'them'} was written`);
      });
    });
}
