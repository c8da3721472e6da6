import type { Db } from '../db/connect.js';
import { runsVersion } from '../store/data-version.js';
import { listModels } from '../store/models.js';
import { analyzeModel } from './analysis.js';
import { loadDashboard } from './dashboard.js';
import { loadModelReport } from './model-report.js';
import { buildSettingsSheet } from './settings-sheet.js';

export interface AnalysisWarmer {
  /** Runs one pass now (tests and the benchmark call it); resolves when every stale analysis is fresh. */
  refresh(): Promise<void>;
  stop(): void;
}

export interface WarmerState {
  /** The runs' version at the previous look. */
  seen: string | null;
  /** The runs' version the last pass made fresh. */
  warmed: string | null;
  /** When the last pass began (ms). */
  warmedAt: number;
}

/**
 * Whether a pass should run now, given the runs' version just read. A pass waits until the version
 * has held still for one interval (the writes paused): during a burst of logging each pass would
 * otherwise cost every following request its time on the one thread. While writes never pause, it
 * still runs once every `maxWaitMs`. Returns the state to keep.
 */
export function planWarming(state: WarmerState, version: string, now: number, maxWaitMs: number): { warm: boolean; state: WarmerState } {
  const settled = version === state.seen;
  const seenState = { ...state, seen: version };
  if (version === state.warmed) return { warm: false, state: seenState };
  if (!settled && now - state.warmedAt < maxWaitMs) return { warm: false, state: seenState };
  return { warm: true, state: { seen: version, warmed: version, warmedAt: now } };
}

/**
 * Keeps each model's default analysis (and the dashboard's summaries and the export page's
 * per-use-case analyses) fresh off the request path: every `intervalMs` it reads the
 * runs' version (one small query) and, when writes have paused, recomputes the analyses whose inputs
 * changed since they were cached (analyzeModel is a cache hit otherwise), so a page or API request
 * after a burst of writes rarely pays for the SQL aggregation itself. It is also what records each
 * model's sweet-spot snapshot when runs change: requests never write one.
 */
export function startAnalysisWarmer(
  db: Db,
  { intervalMs = 1000, maxWaitMs = 30_000, log = (err: unknown) => console.error(err) } = {},
): AnalysisWarmer {
  let running: Promise<void> | null = null;
  // Counting from the start, the first pass too waits for the data to hold still (a server started
  // for a burst of imports should not analyse half of it first).
  let state: WarmerState = { seen: null, warmed: null, warmedAt: Date.now() };
  const refresh = () => {
    running ??= (async () => {
      try {
        for (const model of await listModels(db)) {
          await analyzeModel(db, model.slug, {}, { record: true }); // the default analysis: its snapshot too
          await loadModelReport(db, model.slug, {}); // the unfiltered report page (samples, times, choices)
        }
        await loadDashboard(db); // its per-level summaries
        await buildSettingsSheet(db, {}); // the per-use-case analyses of the export page
      } catch (err) {
        log(err);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const tick = async () => {
    if (running) return;
    try {
      const plan = planWarming(state, await runsVersion(db), Date.now(), maxWaitMs);
      state = plan.state;
      if (plan.warm) await refresh();
    } catch (err) {
      log(err);
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}
