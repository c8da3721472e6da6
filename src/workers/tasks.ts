import { analyzeSteps, type StepAnalysis, type StepAnalysisInput } from '../analysis/analyze-steps.js';
import type { CurveOptions } from '../analysis/analyze-curve.js';
import { readGenerationMetadata, type ImageMetadataResult } from '../images/read-generation-metadata.js';
import type { MetadataLimits } from '../images/metadata-limits.js';

/**
 * The work the pool runs off the event loop, by name: each takes and returns plain data (it crosses
 * a thread boundary by structured clone). Adding a task means adding one entry here.
 */
export const TASKS = {
  /** Reads an image's size and generation settings (untrusted bytes: linear, capped parsers). */
  readMetadata(input: { bytes: Uint8Array; limits?: Partial<MetadataLimits> }): ImageMetadataResult {
    return readGenerationMetadata(input.bytes, input.limits);
  },
  /** The sweet-spot analysis of level sums (its cost grows with the number of step levels). */
  analyzeSteps(input: { input: StepAnalysisInput; options: Partial<CurveOptions> }): StepAnalysis {
    return analyzeSteps(input.input, input.options);
  },
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskInput<K extends TaskName> = Parameters<(typeof TASKS)[K]>[0];
export type TaskOutput<K extends TaskName> = ReturnType<(typeof TASKS)[K]>;

/** A task's message to its worker, and the worker's answer. */
export interface TaskRequest {
  id: number;
  name: TaskName;
  input: unknown;
}
export type TaskReply = { id: number; ok: true; output: unknown } | { id: number; ok: false; error: { name: string; message: string } };

/** Runs one request in this thread, catching what it throws into a reply. */
export function runTask(request: TaskRequest): TaskReply {
  try {
    const task = TASKS[request.name] as (input: unknown) => unknown;
    return { id: request.id, ok: true, output: task(request.input) };
  } catch (err) {
    const error = err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
    return { id: request.id, ok: false, error };
  }
}
