import { PHASES, USE_CASES } from '../db/schema.js';
import { MAX_SLUG_LENGTH, MAX_TAGS, SEED_PATTERN, SLUG_PATTERN, TAG_PATTERN, TIMESTAMP_PATTERN } from './fields.js';
import { MAX_BATCH, RUN_NUMBER_RANGES, RUN_TEXT_LENGTHS, type RunInput } from './run-input.js';

// The fast path of run validation. Scripts post runs as JSON whose every value already has its
// final form: numbers as numbers, seeds as digits, no blanks to clear. For such a run the zod schema
// only confirms it and hands back the same values, at about 5 µs a run (a third of a 1,000-run
// batch's time). These checks confirm the same in a tenth of that. Anything they do not recognise
// outright — a number sent as text, a blank, an unknown field, any mistake — is left to the zod
// schema, which coerces what it may and names what is wrong; so the answer is always the schema's
// (a property test holds the two to that).

/** A field's value as the schema would return it, or NOT_PLAIN. */
type FieldCheck = (value: unknown) => unknown;
const NOT_PLAIN = Symbol('not plain');

const useCases: ReadonlySet<unknown> = new Set(USE_CASES);
const phases: ReadonlySet<unknown> = new Set(PHASES);

function number(field: keyof typeof RUN_NUMBER_RANGES, whole: boolean): FieldCheck {
  const [min, max] = RUN_NUMBER_RANGES[field];
  return (v) => (typeof v === 'number' && (whole ? Number.isInteger(v) : Number.isFinite(v)) && v >= min && v <= max ? v : NOT_PLAIN);
}

function text(field: keyof typeof RUN_TEXT_LENGTHS): FieldCheck {
  const max = RUN_TEXT_LENGTHS[field];
  return (v) => (typeof v === 'string' && v.length <= max && v.trim() !== '' ? v : NOT_PLAIN);
}

const oneOf = (values: ReadonlySet<unknown>): FieldCheck => (v) => (values.has(v) ? v : NOT_PLAIN);

const orNull = (check: FieldCheck): FieldCheck => (v) => (v === null ? null : check(v));

const seed: FieldCheck = (v) => {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : NOT_PLAIN;
  return typeof v === 'string' && SEED_PATTERN.test(v) ? v : NOT_PLAIN;
};

/** Tags already trimmed, lower-case and distinct come back as they are; the schema cleans up the rest. */
const tags: FieldCheck = (v) => {
  if (!Array.isArray(v) || v.length > MAX_TAGS) return NOT_PLAIN;
  const ok = v.every((t, i) => typeof t === 'string' && TAG_PATTERN.test(t) && t === t.trim().toLowerCase() && v.indexOf(t) === i);
  return ok ? [...(v as string[])] : NOT_PLAIN;
};

/** Only the canonical form, which the schema's re-formatting leaves unchanged. */
const timestamp: FieldCheck = (v) => {
  if (typeof v !== 'string' || !TIMESTAMP_PATTERN.test(v)) return NOT_PLAIN;
  const ms = Date.parse(v);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === v ? v : NOT_PLAIN;
};

const FIELDS: Record<keyof RunInput, FieldCheck> = {
  model: (v) => (typeof v === 'string' && v.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(v) ? v : NOT_PLAIN),
  steps: number('steps', true),
  durationMs: orNull(number('durationMs', false)),
  score: orNull(number('score', false)),
  seed: orNull(seed),
  prompt: orNull(text('prompt')),
  negativePrompt: orNull(text('negativePrompt')),
  sampler: orNull(text('sampler')),
  guidance: orNull(number('guidance', false)),
  width: orNull(number('width', true)),
  height: orNull(number('height', true)),
  hardware: orNull(text('hardware')),
  useCase: orNull(oneOf(useCases)),
  phase: orNull(oneOf(phases)),
  tags,
  notes: orNull(text('notes')),
  createdAt: orNull(timestamp),
};
const hasField = (key: string): key is keyof RunInput => Object.hasOwn(FIELDS, key);

/** The run as runInputSchema would return it, when `value` is a plain JSON run; otherwise undefined. */
export function readPlainRunInput(value: unknown): RunInput | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const run: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !hasField(key)) return undefined;
    const checked = FIELDS[key]((value as Record<string, unknown>)[key]);
    if (checked === NOT_PLAIN) return undefined;
    run[key] = checked;
  }
  return 'model' in run && 'steps' in run ? (run as RunInput) : undefined;
}

/** A batch as runBatchSchema would return it, when every run in it is plain; otherwise undefined. */
export function readPlainRunBatch(value: unknown): RunInput[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_BATCH) return undefined;
  const runs: RunInput[] = [];
  for (const item of value) {
    const run = readPlainRunInput(item);
    if (!run) return undefined;
    runs.push(run);
  }
  return runs;
}
