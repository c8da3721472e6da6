import { createRandom } from './random.js';
import { MAX_STEP_COUNT, MIN_STEP_COUNT } from './step-list.js';

/** The most cells (renders) one planned sweep may hold. */
export const MAX_SWEEP_CELLS = 10_000;
/** The most seeds {@link generateSeeds} draws for one sweep. */
export const MAX_GENERATED_SEEDS = 1_000;
/** The seed of the generator when a sweep asks for a number of seeds without a `seedBase`. */
export const DEFAULT_SEED_BASE = 20240611;
/** The widest seed common tools accept: 2⁶⁴ − 1 (ComfyUI); A1111/Forge use 32 bits. */
const MAX_SEED = 18446744073709551615n;
const TWO_POW_32 = 4294967296;

/** What to sweep: every step count × seed × prompt. */
export interface SweepInput {
  /** Step counts, e.g. from `parseStepList`; sorted ascending in the plan. */
  steps: readonly number[];
  /** A number of seeds to generate, or the seeds themselves as decimal strings (kept exact). */
  seeds: number | readonly string[];
  prompts: readonly string[];
  /** Seed of the generator when `seeds` is a count. Default {@link DEFAULT_SEED_BASE}. */
  seedBase?: number;
}

/** One planned render. */
export interface SweepCell {
  /** Position in the plan, from 0 (the order a render loop should follow). */
  index: number;
  /** Position of the prompt in the input, from 0. */
  promptIndex: number;
  /** Position of the seed in the (given or generated) seed list, from 0. */
  seedIndex: number;
  prompt: string;
  /** Decimal string without leading zeros, exact also beyond 2⁵³. */
  seed: string;
  steps: number;
}

function fail(requirement: string): never {
  throw new Error(`planSweep requires ${requirement}`);
}

/**
 * Draws `count` distinct seeds, deterministically: the same `seedBase` always gives the same seeds.
 * Each is a uniform 32-bit unsigned integer (0 … 4,294,967,295), the range every common tool
 * accepts, as a decimal string.
 *
 * Method: mulberry32 via {@link createRandom}, redrawing the rare duplicate. Cost: O(count).
 *
 * Errors: "generateSeeds requires a whole number of seeds from 1 to 1000",
 * "generateSeeds requires a finite seedBase".
 *
 * @example
 * generateSeeds(2, 1); // → ["2693262067", "11749833"]
 */
export function generateSeeds(count: number, seedBase: number = DEFAULT_SEED_BASE): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_GENERATED_SEEDS) {
    throw new Error(`generateSeeds requires a whole number of seeds from 1 to ${MAX_GENERATED_SEEDS}`);
  }
  if (typeof seedBase !== 'number' || !Number.isFinite(seedBase)) throw new Error('generateSeeds requires a finite seedBase');
  const random = createRandom(seedBase);
  const seeds = new Set<string>();
  while (seeds.size < count) seeds.add(String(Math.floor(random.next() * TWO_POW_32)));
  return [...seeds];
}

function normaliseSeed(seed: unknown, position: number): string {
  const text = typeof seed === 'string' ? seed.trim() : '';
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > MAX_SEED) {
    fail(`seeds that are whole numbers from 0 to ${MAX_SEED} written in decimal (seed ${position + 1} is ${JSON.stringify(seed)})`);
  }
  return BigInt(text).toString();
}

/**
 * Plans an X/Y-grid sweep: one cell for every step count × seed × prompt, ordered prompt → seed →
 * steps, i.e. each block (one prompt with one seed) at all its step counts, ascending, before the
 * next block. A render loop that follows this order and stops early still leaves complete blocks,
 * which is what the paired analysis (additive block effects, see `pairedLevels`) needs.
 *
 * Seeds are either given as decimal strings (trimmed, leading zeros dropped, exact up to 2⁶⁴ − 1) or
 * generated as a count with {@link generateSeeds} from `seedBase`, so a plan can be rebuilt exactly.
 * Prompts are kept as written (only a blank prompt is rejected).
 *
 * Cost: O(cells) = O(steps × seeds × prompts), at most 10,000.
 *
 * Errors:
 * - "planSweep requires at least one step count" / "… at least one seed" / "… at least one prompt";
 * - "planSweep requires step counts that are whole numbers from 1 to 10000 (got 0)";
 * - "planSweep requires distinct step counts (20 appears twice)", "… distinct seeds ("42" appears
 *   twice)", "… distinct prompts (prompt 3 repeats prompt 1)";
 * - "planSweep requires seeds that are whole numbers from 0 to 18446744073709551615 written in decimal
 *   (seed 2 is "-1")";
 * - "planSweep requires prompts that are not blank (prompt 2 is)";
 * - "planSweep requires at most 10000 cells (got 41 step counts × 5 seeds × 60 prompts = 12300)";
 * - "planSweep requires a whole number of seeds from 1 to 1000 (got 0)", "planSweep requires a finite
 *   seedBase".
 *
 * @example
 * planSweep({ steps: [20, 10], seeds: ['7', '42'], prompts: ['a fox'] }).map((c) => `${c.seed}@${c.steps}`);
 * // → ["7@10", "7@20", "42@10", "42@20"]
 */
export function planSweep(input: SweepInput): SweepCell[] {
  const { steps, seeds, prompts } = input;
  if (!Array.isArray(steps) || steps.length === 0) fail('at least one step count');
  if (!Array.isArray(prompts) || prompts.length === 0) fail('at least one prompt');
  if (Array.isArray(seeds) && seeds.length === 0) fail('at least one seed');

  const stepSet = new Set<number>();
  for (const value of steps) {
    if (!Number.isInteger(value) || value < MIN_STEP_COUNT || value > MAX_STEP_COUNT) {
      fail(`step counts that are whole numbers from ${MIN_STEP_COUNT} to ${MAX_STEP_COUNT} (got ${value})`);
    }
    if (stepSet.has(value)) fail(`distinct step counts (${value} appears twice)`);
    stepSet.add(value);
  }
  const sortedSteps = [...stepSet].sort((x, y) => x - y);

  const promptPositions = new Map<string, number>();
  prompts.forEach((prompt, i) => {
    if (typeof prompt !== 'string' || prompt.trim() === '') fail(`prompts that are not blank (prompt ${i + 1} is)`);
    const earlier = promptPositions.get(prompt);
    if (earlier !== undefined) fail(`distinct prompts (prompt ${i + 1} repeats prompt ${earlier + 1})`);
    promptPositions.set(prompt, i);
  });

  const seedCount = typeof seeds === 'number' ? seeds : Array.isArray(seeds) ? seeds.length : NaN;
  if (typeof seeds !== 'number' && !Array.isArray(seeds)) fail('seeds as a count or a list of decimal strings');
  if (typeof seeds === 'number' && (!Number.isInteger(seeds) || seeds < 1 || seeds > MAX_GENERATED_SEEDS)) {
    fail(`a whole number of seeds from 1 to ${MAX_GENERATED_SEEDS} (got ${seeds})`);
  }
  if (input.seedBase !== undefined && (typeof input.seedBase !== 'number' || !Number.isFinite(input.seedBase))) {
    fail('a finite seedBase');
  }
  // Checked before generating anything, so an oversized plan costs nothing.
  const cells = sortedSteps.length * seedCount * prompts.length;
  if (cells > MAX_SWEEP_CELLS) {
    fail(
      `at most ${MAX_SWEEP_CELLS} cells (got ${sortedSteps.length} step counts × ${seedCount} seeds × ` +
        `${prompts.length} prompts = ${cells})`,
    );
  }

  let seedList: string[];
  if (typeof seeds === 'number') {
    seedList = generateSeeds(seeds, input.seedBase ?? DEFAULT_SEED_BASE);
  } else {
    seedList = seeds.map((seed, i) => normaliseSeed(seed, i));
    const seen = new Set<string>();
    for (const seed of seedList) {
      if (seen.has(seed)) fail(`distinct seeds ("${seed}" appears twice)`);
      seen.add(seed);
    }
  }

  const plan: SweepCell[] = [];
  prompts.forEach((prompt, promptIndex) => {
    seedList.forEach((seed, seedIndex) => {
      for (const stepCount of sortedSteps) {
        plan.push({ index: plan.length, promptIndex, seedIndex, prompt, seed, steps: stepCount });
      }
    });
  });
  return plan;
}
