import type { Generated, Selectable } from 'kysely';

/**
 * What a render job is doing; `running` and `waiting` jobs are picked up again after a restart.
 * `waiting`: an adaptive job on human scores waits for its latest round to be rated.
 */
export const RENDER_JOB_STATES = ['running', 'waiting', 'paused', 'done', 'failed', 'cancelled'] as const;
export type RenderJobState = (typeof RENDER_JOB_STATES)[number];
export type RenderTaskState = 'pending' | 'done' | 'failed';

/** An experiment's planned runs rendered on its renderers (kept beside schema.ts, like renderer-table.ts). */
export interface RenderJobTable {
  id: Generated<number>;
  experiment_id: number;
  mode: 'grid' | 'adaptive';
  state: RenderJobState;
  /** JSON array of renderer ids. */
  renderer_ids: string;
  max_attempts: number;
  stop_reason: string | null;
  /** Adaptive jobs: JSON `{ halfWidth?, maxRenders?, maxMinutes? }`; null for grid jobs. */
  target: string | null;
  /** Adaptive jobs: the metric the rounds are chosen on; null for grid jobs. */
  metric: string | null;
  created_at: string;
  updated_at: string;
}

/** One planned run of a job: rendered (done), still to render (pending), or given up (failed). */
export interface RenderTaskTable {
  id: Generated<number>;
  job_id: number;
  run_id: number;
  /** The round that queued it (1 for a grid job and an adaptive job's coarse first round). */
  round: Generated<number>;
  state: RenderTaskState;
  attempts: Generated<number>;
  renderer_id: number | null;
  duration_ms: number | null;
  timing_source: 'generator' | 'wall' | null;
  error_code: string | null;
  error_message: string | null;
  updated_at: string;
}

// Type aliases, not interfaces: withTables needs types with an implicit index signature.
export type RenderQueueSchema = {
  render_jobs: RenderJobTable;
  render_tasks: RenderTaskTable;
};

export type RenderJobRow = Selectable<RenderJobTable>;
export type RenderTaskRow = Selectable<RenderTaskTable>;
