import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is asking, for the duration of one request (set by the web layer; absent for the CLI and the warmer). */
const requestClient = new AsyncLocalStorage<string>();

/** Runs `work` on behalf of `client` (an address): analyses it computes count against that client's budget. */
export function asClient<T>(client: string, work: () => T): T {
  return requestClient.run(client, work);
}

/** Query-variant analyses one client may have computed (not answered from cache) per window. */
export const UNCACHED_ANALYSES_PER_WINDOW = 60;
export const UNCACHED_ANALYSIS_WINDOW_MS = 60_000;

/** A client asked for more uncached analyses than its budget; the web answers 429. */
export class AnalysisBudgetError extends Error {
  override name = 'AnalysisBudgetError';
  constructor(readonly retryAfterSeconds: number) {
    super(
      `Too many new analysis variants from this address: at most ${UNCACHED_ANALYSES_PER_WINDOW} per minute are computed; ` +
        `try again in ${retryAfterSeconds} seconds (analyses already computed are still answered).`,
    );
  }
}

const windows = new Map<string, { start: number; used: number }>();

/**
 * Charges one uncached analysis to the current request's client; throws AnalysisBudgetError past the
 * budget. Outside a request (CLI, warmer) nothing is charged. The counts live in memory and are
 * dropped as their windows end.
 */
export function chargeUncachedAnalysis(now = Date.now()): void {
  const client = requestClient.getStore();
  if (client === undefined) return;
  let window = windows.get(client);
  if (window === undefined || now - window.start >= UNCACHED_ANALYSIS_WINDOW_MS) {
    if (windows.size > 10_000) for (const [key, w] of windows) if (now - w.start >= UNCACHED_ANALYSIS_WINDOW_MS) windows.delete(key);
    window = { start: now, used: 0 };
    windows.set(client, window);
  }
  if (window.used >= UNCACHED_ANALYSES_PER_WINDOW) {
    throw new AnalysisBudgetError(Math.max(1, Math.ceil((window.start + UNCACHED_ANALYSIS_WINDOW_MS - now) / 1000)));
  }
  window.used++;
}
