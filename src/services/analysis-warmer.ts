import type { Db } from '../db/connect.js';
import { listModels } from '../store/models.js';
import { analyzeModel } from './analysis.js';

export interface AnalysisWarmer {
  /** Runs one pass now (tests and the benchmark call it); resolves when every stale analysis is fresh. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Keeps each model's default analysis fresh off the request path: every `intervalMs` it recomputes
 * the analyses whose inputs changed since they were cached (analyzeModel is a cache hit otherwise), so
 * a page or API request after a burst of writes rarely pays for the SQL aggregation itself.
 */
export function startAnalysisWarmer(db: Db, { intervalMs = 2000, log = (err: unknown) => console.error(err) } = {}): AnalysisWarmer {
  let running: Promise<void> | null = null;
  const refresh = () => {
    running ??= (async () => {
      try {
        for (const model of await listModels(db)) await analyzeModel(db, model.slug, {});
      } catch (err) {
        log(err);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}
