import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import type { Phase, UseCase } from '../db/schema.js';
import { createRandom } from '../analysis/random.js';
import { countTagged, deleteRunsTagged } from '../store/runs.js';
import type { RunInput } from '../validation/run-input.js';
import { loadDemoExperiment, removeDemoExperiments } from './demo-experiment.js';
import { createRuns } from './runs.js';

export const DEMO_TAG = 'demo';

interface DemoHardware {
  name: string;
  overheadMs: number;
  perStepMs: number;
}

/**
 * How each guide model behaves in the demo: q(s) = plateau − 5·exp(−s/τ) on the 0–10 score, so with
 * δ = 0.25 the sweet spot is τ·ln 20 ≈ 3τ — the guide's own numbers (DESIGN.md, "Demo data"). τ is set a
 * little off the round number so that τ·ln 20 is not right at an integer boundary (Dev 9.8 → 29.4 → 30).
 * Timings are of the order of the published FLUX.1-dev figure (0.670 s per step + 0.38 s overhead).
 */
const DEMO_MODELS: readonly {
  slug: string;
  plateau: number;
  tau: number;
  steps: readonly number[];
  guide: { low: number; high: number };
  hardware: readonly DemoHardware[];
}[] = [
  {
    slug: 'flux-dev',
    plateau: 8.6,
    tau: 9.8,
    steps: [10, 15, 20, 25, 30, 35, 40, 50, 60],
    guide: { low: 28, high: 35 },
    hardware: [
      { name: 'RTX 4090', overheadMs: 380, perStepMs: 670 },
      { name: 'RTX 3090', overheadMs: 520, perStepMs: 1150 },
    ],
  },
  {
    slug: 'flux-schnell',
    plateau: 7.4,
    tau: 0.95,
    steps: [1, 2, 3, 4, 6, 8],
    guide: { low: 2, high: 3 },
    hardware: [
      { name: 'RTX 4090', overheadMs: 350, perStepMs: 640 },
      { name: 'RTX 3090', overheadMs: 480, perStepMs: 1100 },
    ],
  },
  {
    slug: 'flux-pro',
    plateau: 8.9,
    tau: 13.2,
    steps: [15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80],
    guide: { low: 35, high: 45 },
    hardware: [{ name: 'api', overheadMs: 2400, perStepMs: 310 }],
  },
  {
    slug: 'recraft-v3',
    plateau: 8.4,
    tau: 9.8,
    steps: [10, 15, 20, 25, 30, 35, 40, 50, 60],
    guide: { low: 25, high: 35 },
    hardware: [{ name: 'api', overheadMs: 1800, perStepMs: 240 }],
  },
];

/** Prompts with their own difficulty (an additive offset on the score) and use case. */
const DEMO_PROMPTS: readonly { prompt: string; offset: number; useCase: UseCase }[] = [
  { prompt: 'a lighthouse on a basalt cliff at dusk, volumetric fog, concept art', offset: 0.3, useCase: 'concept-art' },
  { prompt: 'portrait of an elderly fisherman, soft window light, 85mm', offset: -0.6, useCase: 'portrait' },
  { prompt: 'alpine valley at sunrise with a winding river, wide angle', offset: 0.1, useCase: 'landscape' },
  { prompt: 'isometric cutaway of a steampunk workshop, intricate detail', offset: -0.9, useCase: 'concept-art' },
];

const SEEDS_PER_PROMPT = 5;
const RATER_NOISE = 0.6;
const DAY_MS = 86_400_000;

function phaseFor(steps: number, guide: { low: number; high: number }): Phase {
  if (steps < guide.low) return 'draft';
  return steps <= guide.high ? 'refine' : 'final';
}

/**
 * Builds the demo runs: every prompt × seed block rendered at every step level (a paired design).
 * The default seed is a draw in which each model's 90% interval covers its true sweet spot, as such
 * intervals do nine times in ten, so the demo shows the usual case rather than the unlucky one.
 */
export function buildDemoRuns(seed = 6, now = Date.now()): RunInput[] {
  const random = createRandom(seed);
  const runs: RunInput[] = [];
  for (const model of DEMO_MODELS) {
    for (const hardware of model.hardware) {
      for (const { prompt, offset, useCase } of DEMO_PROMPTS) {
        for (let s = 0; s < SEEDS_PER_PROMPT; s++) {
          const renderSeed = String(random.int(1_000_000, 4_294_967_295));
          for (const steps of model.steps) {
            const truth = model.plateau + offset - 5 * Math.exp(-steps / model.tau);
            const score = Math.min(10, Math.max(0, truth + RATER_NOISE * random.normal()));
            const durationMs = (hardware.overheadMs + hardware.perStepMs * steps) * (1 + 0.03 * random.normal());
            runs.push({
              model: model.slug,
              steps,
              durationMs: Math.round(durationMs),
              score: Math.round(score * 10) / 10,
              seed: renderSeed,
              prompt,
              sampler: model.slug.startsWith('flux') ? 'euler' : null,
              guidance: model.slug.startsWith('flux') ? 3.5 : null,
              width: 1024,
              height: 1024,
              hardware: hardware.name,
              useCase,
              phase: phaseFor(steps, model.guide),
              tags: [DEMO_TAG],
              notes: 'Demo data: remove it with `sweetspot demo --remove` or the button on the dashboard.',
              createdAt: new Date(now - random.next() * 30 * DAY_MS).toISOString(),
            });
          }
        }
      }
    }
  }
  return runs;
}

/**
 * Loads the demo data set unless it is already there; returns how many demo runs exist afterwards.
 * With a data folder it also loads the demo experiment: renders, judgements and image metrics.
 */
export async function loadDemo(db: Db, config: Pick<Config, 'dataDir'> | null = null): Promise<{ added: number; total: number }> {
  const existing = await countTagged(db, DEMO_TAG);
  if (existing > 0) return { added: 0, total: existing };
  const ids = await createRuns(db, buildDemoRuns(), 'demo');
  const withRenders = config === null ? 0 : (await loadDemoExperiment(db, config)).renders;
  return { added: ids.length + withRenders, total: ids.length + withRenders };
}

/** Removes every run tagged `demo` in one step, with the demo experiment and its rendered files. */
export async function removeDemo(db: Db, config: Pick<Config, 'dataDir'> | null = null): Promise<number> {
  const runs = await countTagged(db, DEMO_TAG);
  await removeDemoExperiments(db, config, DEMO_TAG);
  await deleteRunsTagged(db, DEMO_TAG);
  return runs;
}

export function countDemoRuns(db: Db): Promise<number> {
  return countTagged(db, DEMO_TAG);
}
