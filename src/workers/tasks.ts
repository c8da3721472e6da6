import { analyzeSteps, type StepAnalysis, type StepAnalysisInput } from '../analysis/analyze-steps.js';
import type { CurveOptions } from '../analysis/analyze-curve.js';
import { readGenerationMetadata, type ImageMetadataResult } from '../images/read-generation-metadata.js';
import type { MetadataLimits } from '../images/metadata-limits.js';
import { connectDatabase, type Db } from '../db/connect.js';
import { durationSumsByHardware, metricBlockCells, metricLevelSums, type AnalysisFilter } from '../store/analysis-sums.js';

/** This thread's own connections, one per SQLite file (WAL lets them read beside the server's writer). */
const connections = new Map<string, Db>();
function readerOf(file: string): Db {
  let db = connections.get(file);
  if (!db) {
    db = connectDatabase(file);
    connections.set(file, db);
  }
  return db;
}

/**
 * The work the pool runs off the event loop, by name: each takes and returns plain data (it crosses
 * a thread boundary by structured clone). Adding a task means adding one entry here.
 */
export const TASKS = {
  /** Reads an image's size and generation settings (untrusted bytes: linear, capped parsers). */
  readMetadata(input: { bytes: Uint8Array; limits?: Partial<MetadataLimits> }): ImageMetadataResult {
    return readGenerationMetadata(input.bytes, input.limits);
  },
  /**
   * The SQL aggregates one analysis reads (per step level, per prompt + seed cell, per hardware), on
   * this thread's own connection to the SQLite file: at 10⁵–10⁶ runs they take long enough to matter,
   * and better-sqlite3 runs them synchronously.
   */
  async analysisSums(input: { file: string; modelId: number; metric: string; filter: AnalysisFilter }) {
    const db = readerOf(input.file);
    const [levels, pairing, durationRows] = await Promise.all([
      metricLevelSums(db, input.modelId, input.metric, input.filter),
      metricBlockCells(db, input.modelId, input.metric, input.filter),
      durationSumsByHardware(db, input.modelId, input.filter),
    ]);
    return { levels, pairing, durationRows };
  },
  /** The sweet-spot analysis of level sums (its cost grows with the number of step levels). */
  analyzeSteps(input: { input: StepAnalysisInput; options: Partial<CurveOptions> }): StepAnalysis {
    return analyzeSteps(input.input, input.options);
  },
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskInput<K extends TaskName> = Parameters<(typeof TASKS)[K]>[0];
export type TaskOutput<K extends TaskName> = Awaited<ReturnType<(typeof TASKS)[K]>>;

/** A task's message to its worker, and the worker's answer. */
export interface TaskRequest {
  id: number;
  name: TaskName;
  input: unknown;
}
export type TaskReply = { id: number; ok: true; output: unknown } | { id: number; ok: false; error: { name: string; message: string } };

/** Runs one request in this thread, catching what it throws into a reply. */
export async function runTask(request: TaskRequest): Promise<TaskReply> {
  try {
    const task = TASKS[request.name] as (input: unknown) => unknown;
    return { id: request.id, ok: true, output: await task(request.input) };
  } catch (err) {
    const error = err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
    return { id: request.id, ok: false, error };
  }
}
