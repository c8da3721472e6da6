import type { Command } from 'commander';

/** The render settings `log` and `plan` both take, with the same names and help as the API fields. */
export function withRenderSettings(command: Command): Command {
  return command
    .option('--negative-prompt <text>', 'negative prompt')
    .option('--sampler <name>', 'sampler, e.g. euler')
    .option('--guidance <n>', 'guidance / CFG')
    .option('--width <px>', 'width in pixels')
    .option('--height <px>', 'height in pixels')
    .option('--hardware <name>', 'hardware, e.g. "RTX 4090" or api')
    .option('--use-case <name>', 'concept-art, portrait, landscape or other')
    .option('--phase <name>', 'draft, refine or final');
}
