import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TaskName, TaskInput, TaskOutput, TaskReply } from './tasks.js';

export interface WorkerPoolOptions {
  /** Threads (default: the cores less one, at least 1 and at most 4). */
  size?: number;
  /** Tasks that may wait for a thread; past it `run` refuses with PoolBusyError (default 200). */
  maxQueue?: number;
  /** A task running longer is stopped, its thread replaced, and `run` rejects (default 60 s). */
  taskTimeoutMs?: number;
}

/** The pool is full: the caller should come back later (the web answers 503). */
export class PoolBusyError extends Error {
  override name = 'PoolBusyError';
}

/** A task failed inside its thread: the original error's name and message, nothing else. */
export class TaskError extends Error {
  constructor(
    readonly taskName: string,
    readonly originalName: string,
    message: string,
  ) {
    super(message);
    this.name = 'TaskError';
  }
}

interface Job {
  id: number;
  name: TaskName;
  input: unknown;
  transfer: readonly ArrayBuffer[];
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/**
 * The ES-module build of `tsx/esm/api`, found from here rather than from the working directory (which
 * may be anywhere). `require.resolve` would give its CommonJS build, which cannot register ESM hooks
 * when imported; the package's own exports map names the ESM one.
 */
function tsxEsmApiUrl(from: URL): string {
  const manifestPath = createRequire(from).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(manifestPath), manifest.exports['./esm/api']!.import.default)).href;
}

/**
 * Starts one thread on the worker entry beside this file, with this file's own extension: `.js` once
 * compiled to `dist/`; `.ts` under vitest and tsx, where the thread first registers tsx to load
 * TypeScript. Node 20 does not apply `--import tsx` from a worker's `execArgv` to the worker's own
 * module loading, so the thread is a tiny script that registers tsx's hooks and then imports the entry.
 */
function startWorker(): Worker {
  const own = new URL(import.meta.url);
  if (!own.pathname.endsWith('.ts')) return new Worker(new URL('./task-worker.js', own));
  const entry = new URL('./task-worker.ts', own).href;
  const tsxApi = tsxEsmApiUrl(own);
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [] });
}

/**
 * A fixed number of worker threads running `TASKS` by name, so that heavy or untrusted work (image
 * metadata, uncached analyses) never holds the event loop. Tasks queue in arrival order up to
 * `maxQueue`; each has a time limit. Idle threads do not keep the process alive.
 */
export class WorkerPool {
  private readonly size: number;
  private readonly maxQueue: number;
  private readonly timeoutMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? Math.min(4, Math.max(1, os.availableParallelism() - 1))));
    this.maxQueue = options.maxQueue ?? 200;
    this.timeoutMs = options.taskTimeoutMs ?? 60_000;
  }

  /** Runs a task in a thread; `transfer` moves buffers instead of copying them (the caller loses them). */
  run<K extends TaskName>(name: K, input: TaskInput<K>, transfer: readonly ArrayBuffer[] = []): Promise<TaskOutput<K>> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new PoolBusyError('The server is busy with other heavy requests; try again in a moment.'));
    }
    return new Promise<TaskOutput<K>>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, name, input, transfer, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Tasks running and waiting. */
  get pending(): number {
    return this.queue.length + this.slots.filter((s) => s.job !== null).length;
  }

  /** Stops every thread; running and waiting tasks reject. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the worker pool was closed'));
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        slot.job?.reject(new Error('the worker pool was closed'));
        return slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => this.timeOut(slot), this.timeoutMs);
      slot.worker.postMessage({ id: job.id, name: job.name, input: job.input }, [...job.transfer]);
    }
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, job: null, timer: null };
    worker.unref();
    worker.on('message', (reply: TaskReply) => {
      const job = slot.job;
      if (!job || reply.id !== job.id) return;
      this.finish(slot);
      if (reply.ok) job.resolve(reply.output);
      else job.reject(new TaskError(job.name, reply.error.name, reply.error.message));
    });
    worker.on('error', (err) => this.fail(slot, err));
    worker.on('exit', (code) => {
      if (slot.job) this.fail(slot, new Error(`a worker thread stopped (exit code ${code})`));
      else this.remove(slot);
    });
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
    setImmediate(() => this.dispatch());
  }

  private fail(slot: Slot, err: unknown): void {
    const job = slot.job;
    this.remove(slot);
    void slot.worker.terminate();
    job?.reject(err);
    if (!this.closed) this.dispatch();
  }

  private timeOut(slot: Slot): void {
    const seconds = Math.round(this.timeoutMs / 1000);
    this.fail(slot, new PoolBusyError(`The work took longer than ${seconds} seconds and was stopped.`));
  }

  private remove(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    const index = this.slots.indexOf(slot);
    if (index !== -1) this.slots.splice(index, 1);
  }
}

let shared: WorkerPool | null = null;

/** The process's pool, made on first use (servers, CLI commands and tests share it per process). */
export function sharedWorkerPool(): WorkerPool {
  shared ??= new WorkerPool();
  return shared;
}
