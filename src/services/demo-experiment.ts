import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import { createRandom } from '../analysis/random.js';
import { deleteUnusedImages, experimentIdsWithTag, imagesOfTaggedRuns } from '../store/demo-cleanup.js';
import { experimentInputSchema } from '../validation/experiment-input.js';
import { demoRender } from './demo-renders.js';
import { createExperiment, fillCells } from './experiments.js';
import { deleteExperiment } from './experiments/life-cycle.js';
import { imagePath, removeQuietly, thumbPath } from './image-files.js';
import { storeImage } from './images.js';
import { recordJudgement } from './judgements.js';
import { tagRuns } from './runs/bulk-runs.js';

// The demo's experiment: a small FLUX.1 Dev sweep with its renders, times, scores and blind
// judgements, so the gallery, the rate page, the experiment report and the image metrics all show
// something. Everything in it is tagged "demo" and goes with the rest of the demo.

export const DEMO_EXPERIMENT_NAME = 'Demo: FLUX.1 Dev sweep with renders';
const STEPS = [10, 20, 30, 40, 50];
const SEEDS = ['1001', '2002'];
const PROMPTS = ['a lighthouse at dusk, oil painting', 'portrait of an old fisherman, soft light'];
const TAU = 9.8;
const RATER = 'demo rater';

/** Deterministic quality of a render: the demo curve plus a prompt offset and rater noise. */
function scoreOf(steps: number, promptIndex: number, noise: number): number {
  const truth = 8.6 - 0.4 * promptIndex - 5 * Math.exp(-steps / TAU);
  return Math.round(Math.min(10, Math.max(0, truth + 0.4 * noise)) * 10) / 10;
}

/**
 * Plans the demo sweep, renders it (synthetic PNGs with their settings embedded, stored like an
 * upload, so sharpness and convergence are measured), fills in times and scores, records blind
 * judgements between neighbouring step counts and tags every run "demo". Returns the experiment.
 */
export async function loadDemoExperiment(db: Db, config: Pick<Config, 'dataDir'>, seed = 11): Promise<{ experimentId: number; renders: number; judgements: number }> {
  const random = createRandom(seed);
  const input = experimentInputSchema.parse({
    name: DEMO_EXPERIMENT_NAME,
    model: 'flux-dev',
    steps: STEPS,
    seeds: SEEDS,
    prompts: PROMPTS,
    sampler: 'Euler',
    guidance: 1,
    width: 128,
    height: 128,
    hardware: 'RTX 4090',
    notes: 'Demo data: remove it with the button on the dashboard or `sweetspot demo --remove`.',
  });
  const experiment = await createExperiment(db, input);
  for (const cell of experiment.cells) {
    const bytes = await demoRender({ prompt: cell.prompt, steps: cell.steps, seed: cell.seed, model: 'flux1-dev.safetensors', tau: TAU, variant: cell.promptIndex * 2 + cell.seedIndex });
    await storeImage(db, config, bytes, `demo-${cell.promptIndex + 1}-${cell.seed}-${cell.steps}.png`, { source: 'demo' });
  }
  const runIds = experiment.cells.map((c) => c.runId);
  await tagRuns(db, runIds, 'demo');
  await fillCells(
    db,
    experiment.id,
    experiment.cells.map((c) => ({ runId: c.runId, durationMs: Math.round((380 + 670 * c.steps) * (1 + 0.02 * random.normal())), score: scoreOf(c.steps, c.promptIndex, random.normal()) })),
  );
  // Blind judgements within each prompt + seed block, between neighbouring and distant step counts:
  // the render with more steps wins while the gap is visible, "can't tell" once the curve is flat.
  let judgements = 0;
  const blocks = new Map<string, typeof experiment.cells>();
  for (const c of experiment.cells) blocks.set(`${c.promptIndex}:${c.seed}`, [...(blocks.get(`${c.promptIndex}:${c.seed}`) ?? []), c]);
  for (const cells of blocks.values()) {
    const sorted = [...cells].sort((a, b) => a.steps - b.steps);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length && j <= i + 2; j++) {
        const low = sorted[i]!;
        const high = sorted[j]!;
        const gap = 5 * (Math.exp(-low.steps / TAU) - Math.exp(-high.steps / TAU)) + 0.3 * random.normal();
        const outcome = gap > 0.35 ? 'b' : gap < -0.35 ? 'a' : 'tie';
        await recordJudgement(db, { runA: low.runId, runB: high.runId, outcome, rater: RATER });
        judgements++;
      }
    }
  }
  return { experimentId: experiment.id, renders: experiment.cells.length, judgements };
}

/**
 * Removes what the demo experiment added beyond its runs: the experiment itself and the rendered
 * files (their rows and the files on disk). Called before the demo runs are deleted.
 */
export async function removeDemoExperiments(db: Db, config: Pick<Config, 'dataDir'> | null, tag: string): Promise<void> {
  const images = await imagesOfTaggedRuns(db, tag);
  for (const id of await experimentIdsWithTag(db, tag)) await deleteExperiment(db, id, { keepRendered: false });
  const deleted = new Set(await deleteUnusedImages(db, images.map((i) => i.id)));
  if (config === null) return;
  for (const image of images.filter((i) => deleted.has(i.id))) {
    await removeQuietly(imagePath(config.dataDir, image.sha256, image.mime));
    await removeQuietly(thumbPath(config.dataDir, image.sha256));
  }
}
