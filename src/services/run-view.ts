import type { RunWithModel } from '../store/runs.js';

/** A run as the API, the CLI and the pages see it (camelCase; `model` is the slug). */
export interface Run {
  id: number;
  model: string;
  modelName: string;
  steps: number;
  durationMs: number | null;
  score: number | null;
  seed: string | null;
  prompt: string | null;
  negativePrompt: string | null;
  sampler: string | null;
  guidance: number | null;
  width: number | null;
  height: number | null;
  hardware: string | null;
  useCase: string | null;
  phase: string | null;
  tags: string[];
  notes: string | null;
  experimentId: number | null;
  source: string;
  createdAt: string;
  updatedAt: string;
}

export function runRowToRun(row: RunWithModel, tags: readonly string[]): Run {
  return {
    id: row.id,
    model: row.model_slug,
    modelName: row.model_name,
    steps: row.steps,
    durationMs: row.duration_ms,
    score: row.score,
    seed: row.seed,
    prompt: row.prompt,
    negativePrompt: row.negative_prompt,
    sampler: row.sampler,
    guidance: row.guidance,
    width: row.width,
    height: row.height,
    hardware: row.hardware,
    useCase: row.use_case,
    phase: row.phase,
    tags: [...tags],
    notes: row.notes,
    experimentId: row.experiment_id,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
