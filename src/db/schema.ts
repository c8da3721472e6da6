import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The tables as Kysely sees them. Timestamps are ISO 8601 UTC strings (sortable, portable). */
export interface Database {
  models: ModelTable;
  experiments: ExperimentTable;
  runs: RunTable;
  run_tags: RunTagTable;
  metrics: MetricTable;
  run_metrics: RunMetricTable;
  sweet_spot_snapshots: SnapshotTable;
  imports: ImportTable;
  import_staging: ImportStagingTable;
  import_staging_tags: ImportStagingTagTable;
  images: ImageTable;
  model_aliases: ModelAliasTable;
  judgements: JudgementTable;
  session_state: SessionStateTable;
}

/** One row: the sign-in session generation; signing out raises it, which ends every earlier session. */
export interface SessionStateTable {
  id: number;
  generation: number;
}

/** A render file, stored under the data folder by its sha256 (never by a client-supplied name). */
export interface ImageTable {
  id: Generated<number>;
  sha256: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  /** The parsed generation settings as JSON (GenerationMetadata), null when none could be read. */
  metadata: string | null;
  /** Shown to the user only; never used as a path. */
  original_name: string | null;
  created_at: string;
}

/** A model name as image tools write it (e.g. "flux1-dev.safetensors"), mapped to a stored model. */
export interface ModelAliasTable {
  alias: string;
  model_id: number;
  created_at: string;
}

export const OUTCOMES = ['a', 'b', 'tie'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One blind pairwise judgement between two renders of the same prompt + seed. */
export interface JudgementTable {
  id: Generated<number>;
  run_a: number;
  run_b: number;
  outcome: Outcome;
  rater: string;
  created_at: string;
}

export interface ModelTable {
  id: Generated<number>;
  slug: string;
  name: string;
  notes: Generated<string>;
  min_steps: number | null;
  recommended_low: number | null;
  recommended_high: number | null;
  max_steps: number | null;
  sweet_spot: number | null;
  /** Raised by every write to this model's runs: a cached analysis is valid while it is unchanged. */
  data_version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ExperimentTable {
  id: Generated<number>;
  name: string;
  model_id: number;
  /** JSON: the planned sweep (steps, seeds, prompts, settings). */
  plan: string;
  notes: Generated<string>;
  created_at: string;
  /** When the experiment was archived (ISO time); null while it is current. */
  archived_at: Generated<string | null>;
}

export const USE_CASES = ['concept-art', 'portrait', 'landscape', 'other'] as const;
export type UseCase = (typeof USE_CASES)[number];
export const PHASES = ['draft', 'refine', 'final'] as const;
export type Phase = (typeof PHASES)[number];
export const SOURCES = ['form', 'api', 'cli', 'csv', 'json', 'png', 'demo', 'plan'] as const;
export type Source = (typeof SOURCES)[number];

export interface RunTable {
  id: Generated<number>;
  model_id: number;
  steps: number;
  duration_ms: number | null;
  score: number | null;
  seed: string | null;
  prompt: string | null;
  negative_prompt: string | null;
  sampler: string | null;
  guidance: number | null;
  width: number | null;
  height: number | null;
  hardware: string | null;
  use_case: UseCase | null;
  phase: Phase | null;
  notes: string | null;
  experiment_id: number | null;
  /** The render's image, when one was uploaded. */
  image_id: Generated<number | null>;
  source: Source;
  created_at: string;
  updated_at: string;
  /** The bulk import that created the run and its line in that file (null for runs logged otherwise). */
  import_id: number | null;
  import_line: number | null;
}

export const IMPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const IMPORT_STATUSES = ['staging', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** One bulk import of a file: its rows wait in import_staging until all of them have been validated. */
export interface ImportTable {
  id: Generated<number>;
  /** Hex sha256 of the file's bytes (null while the file is still streaming in). */
  sha256: string | null;
  filename: string | null;
  format: ImportFormat;
  status: ImportStatus;
  rows: Generated<number>;
  /** Why the import failed. */
  message: string | null;
  /** The host and process staging the rows: the clean-up leaves a live process's import alone. */
  host: string | null;
  process_id: number | null;
  created_at: string;
  finished_at: string | null;
}

/** A validated row of an import in progress, with the run's columns. */
export interface ImportStagingTable {
  import_id: number;
  line: number;
  model_id: number;
  steps: number;
  duration_ms: number | null;
  score: number | null;
  seed: string | null;
  prompt: string | null;
  negative_prompt: string | null;
  sampler: string | null;
  guidance: number | null;
  width: number | null;
  height: number | null;
  hardware: string | null;
  use_case: UseCase | null;
  phase: Phase | null;
  /** Comma-joined, as written; the move reads import_staging_tags. */
  tags: string | null;
  notes: string | null;
  created_at: string;
}

export interface ImportStagingTagTable {
  import_id: number;
  line: number;
  tag: string;
}

export interface RunTagTable {
  run_id: number;
  tag: string;
}

export interface MetricTable {
  name: string;
  /** 1 when a higher value is better, 0 when lower is better (integer: portable across SQLite and PostgreSQL). */
  higher_is_better: ColumnType<number, number, number>;
  description: Generated<string>;
  /** The smallest difference that matters in this metric's units (null: use 5% of the fitted gain). */
  default_delta: number | null;
}

export interface RunMetricTable {
  run_id: number;
  name: string;
  value: number;
}

export interface SnapshotTable {
  id: Generated<number>;
  model_id: number;
  metric: string;
  rule: string;
  delta: number;
  filters: string;
  inputs_hash: string;
  steps: number | null;
  interval_low: number | null;
  interval_high: number | null;
  confidence: string;
  run_count: number;
  created_at: string;
}

export type ModelRow = Selectable<ModelTable>;
export type NewModelRow = Insertable<ModelTable>;
export type ModelRowUpdate = Updateable<ModelTable>;
export type RunRow = Selectable<RunTable>;
export type NewRunRow = Insertable<RunTable>;
export type RunRowUpdate = Updateable<RunTable>;
export type ExperimentRow = Selectable<ExperimentTable>;
export type MetricRow = Selectable<MetricTable>;
export type SnapshotRow = Selectable<SnapshotTable>;
export type NewSnapshotRow = Insertable<SnapshotTable>;
export type ImportRow = Selectable<ImportTable>;
export type NewImportStagingRow = Insertable<ImportStagingTable>;

export type ImageRow = Selectable<ImageTable>;
export type NewImageRow = Insertable<ImageTable>;
export type JudgementRow = Selectable<JudgementTable>;
