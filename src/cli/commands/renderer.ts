import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { addRenderer, listRenderers, removeRenderer, type Renderer } from '../../services/renderers.js';
import { InputError } from '../../services/errors.js';
import { MAX_WORKFLOW_CHARS, rendererInputSchema } from '../../validation/renderer-input.js';
import { withDatabase } from '../context.js';
import { CliError, type CliIo } from '../io.js';
import { parseOptions } from '../parse-options.js';
import { clip, formatTable } from '../table.js';

interface AddOptions {
  kind: string;
  url: string;
  workflow?: string;
  name?: string;
  json?: boolean;
}

/** The workflow file's text, refused when missing or larger than a workflow can be. */
async function readWorkflowFile(file: string): Promise<string> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new CliError(`--workflow: ${file} is not a file`);
    if (stat.size > MAX_WORKFLOW_CHARS) throw new CliError(`--workflow: ${file} is ${stat.size} bytes; a workflow may have at most ${MAX_WORKFLOW_CHARS}`);
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`--workflow: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The settings a ComfyUI mapping found, one line each. */
function mappingLines(renderer: Renderer): string[] {
  const m = renderer.mapping;
  if (!m) return [];
  const at = (label: string, ref: { node: string; classType: string; input: string; value: string | number } | null) =>
    `  ${label.padEnd(16)}${ref === null ? 'not in the workflow' : `node ${ref.node} ${ref.classType}.${ref.input} = ${clip(String(ref.value), 60)}`}`;
  return [
    `  ${'sampler'.padEnd(16)}node ${m.sampler.node} ${m.sampler.classType}`,
    at('steps', m.steps),
    at('seed', m.seed),
    at('sampler name', m.samplerName),
    at('guidance', m.guidance),
    at('width', m.width),
    at('height', m.height),
    at('checkpoint', m.checkpoint),
    at('prompt', m.prompt),
    at('negative prompt', m.negativePrompt),
    ...m.notes.map((n) => `  note: ${n}`),
  ];
}

/** `sweetspot renderer add|list|remove`: the same service as /api/v1/renderers and the page. */
export function registerRenderer(program: Command, io: CliIo): void {
  const renderer = program.command('renderer').description('the ComfyUI and A1111/Forge servers sweetspot renders on');

  renderer
    .command('add')
    .description('add a renderer (it must answer); ComfyUI needs its workflow as saved with Workflow → Export (API)')
    .requiredOption('--kind <kind>', 'comfyui or a1111 (AUTOMATIC1111 and Forge)')
    .requiredOption('--url <url>', 'where it listens, e.g. http://127.0.0.1:8188 (ComfyUI) or http://127.0.0.1:7860 (A1111)')
    .option('--workflow <file.json>', 'ComfyUI: the API-format workflow file')
    .option('--name <text>', 'a name to show (default: kind and host)')
    .option('--json', 'print the renderer as JSON')
    .action(async (options: AddOptions) => {
      const workflow = options.workflow === undefined ? undefined : await readWorkflowFile(options.workflow);
      const input = parseOptions(rendererInputSchema, { kind: options.kind, url: options.url, name: options.name, workflow }, { heading: 'The renderer was not added' });
      await withDatabase(io, async (db) => {
        let added: Renderer;
        try {
          added = await addRenderer(db, input);
        } catch (err) {
          if (err instanceof InputError && err.details.length > 0) {
            throw new CliError(`The renderer was not added:\n${err.details.map((d) => `  --${d.field}: ${d.message}`).join('\n')}`);
          }
          throw err;
        }
        if (options.json) {
          io.out(`${JSON.stringify(added, null, 2)}\n`);
          return;
        }
        io.out(`Added renderer #${added.id} "${added.name}" (${added.kind}) at ${added.url}; hardware: ${added.hardware ?? 'not reported'}\n`);
        const lines = mappingLines(added);
        if (lines.length > 0) io.out(`Found in the workflow:\n${lines.join('\n')}\n`);
      });
    });

  renderer
    .command('list')
    .description('list the renderers')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      await withDatabase(io, async (db) => {
        const renderers = await listRenderers(db);
        if (options.json) {
          io.out(`${JSON.stringify({ renderers }, null, 2)}\n`);
          return;
        }
        if (renderers.length === 0) {
          io.out('No renderer yet: add one with sweetspot renderer add --kind comfyui --url http://127.0.0.1:8188 --workflow workflow_api.json\n');
          return;
        }
        io.out(formatTable(['ID', 'Name', 'Kind', 'URL', 'Hardware', 'Steps at'], renderers.map((r) => [r.id, clip(r.name, 40), r.kind, r.url, r.hardware, r.mapping ? `node ${r.mapping.steps.node} ${r.mapping.steps.classType}` : null])));
      });
    });

  renderer
    .command('remove')
    .description('remove a renderer (the runs it rendered stay)')
    .argument('<id>', 'the renderer id, as renderer list shows it')
    .action(async (id: string) => {
      if (!/^\d{1,15}$/.test(id) || Number(id) < 1) throw new CliError(`<id> must be a renderer id (a whole number), not "${clip(id, 40)}"`);
      await withDatabase(io, async (db) => {
        await removeRenderer(db, Number(id));
        io.out(`Removed renderer #${id}\n`);
      });
    });
}
