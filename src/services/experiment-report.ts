import { compareSweetSpots, type SweetSpotEstimate } from '../analysis/rater-agreement.js';
import type { Db } from '../db/connect.js';
import { experimentMetricCounts } from '../store/experiments.js';
import { analyzeModel } from './analysis.js';
import { InputError } from './errors.js';
import { getExperimentSummary, type Experiment } from './experiments.js';
import { PREFERENCE_METRIC, ratingSummary, type RatingSummary } from './judgements.js';

/** The metrics the report puts side by side, in this order, when the experiment has values for them. */
const REPORT_METRICS = ['score', PREFERENCE_METRIC, 'ssim_to_reference', 'sharpness'] as const;
const METRIC_LABELS: Record<string, string> = {
  score: 'Score',
  [PREFERENCE_METRIC]: 'blind preference',
  ssim_to_reference: 'convergence (SSIM to the most-steps render)',
  sharpness: 'sharpness',
};

/** The sweet spot of one metric over the experiment's runs. */
export interface MetricSweetSpot {
  metric: string;
  label: string;
  /** Runs with a value of this metric. */
  runs: number;
  status: string;
  message: string;
  sweetSpot: { steps: number; interval: [number, number] | null; lowerBound: number | null; confidence: string } | null;
  /** Link to the full model report for this metric and experiment. */
  reportUrl: string;
}

export interface ExperimentReport {
  experiment: Experiment;
  metrics: MetricSweetSpot[];
  /** How the first metric's sweet spot (the score's when there is one) agrees with each other one. */
  agreements: { metrics: [string, string]; sentence: string; intervalsOverlap: boolean | null }[];
  ratings: RatingSummary;
}

/**
 * The experiment report: the sweet spot on every metric that has values (score, blind preference,
 * convergence, sharpness) side by side with their agreement, the plateau evidence from "can't tell"
 * answers and the agreement between raters.
 */
export async function experimentReport(db: Db, id: number): Promise<ExperimentReport> {
  const experiment = await getExperimentSummary(db, id);
  const counts = await experimentMetricCounts(db, id);
  counts.set('score', experiment.progress.scored);
  const names = [...REPORT_METRICS, ...[...counts.keys()].filter((n) => !(REPORT_METRICS as readonly string[]).includes(n)).sort()];
  const metrics: MetricSweetSpot[] = [];
  for (const metric of names) {
    const runs = counts.get(metric) ?? 0;
    if (runs === 0) continue;
    const reportUrl = `/models/${encodeURIComponent(experiment.model)}?metric=${encodeURIComponent(metric)}&experiment=${id}`;
    const label = METRIC_LABELS[metric] ?? metric;
    try {
      const analysis = await analyzeModel(db, experiment.model, { metric, experiment: id });
      const spot = analysis.sweetSpot;
      metrics.push({
        metric,
        label,
        runs,
        status: analysis.status,
        message: analysis.message,
        sweetSpot: spot ? { steps: spot.steps, interval: spot.interval, lowerBound: spot.lowerBound, confidence: spot.confidence } : null,
        reportUrl,
      });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      metrics.push({ metric, label, runs, status: 'insufficient-data', message: err.message, sweetSpot: null, reportUrl });
    }
  }
  const estimates = metrics
    .filter((m) => m.sweetSpot !== null)
    .map((m): [string, SweetSpotEstimate] => [m.metric, { steps: m.sweetSpot!.steps, interval: m.sweetSpot!.interval, lowerBound: m.sweetSpot!.lowerBound, label: m.label }]);
  const agreements: ExperimentReport['agreements'] = [];
  const [base, ...others] = estimates;
  if (base) {
    for (const [metric, estimate] of others) {
      const comparison = compareSweetSpots(base[1], estimate);
      agreements.push({ metrics: [base[0], metric], sentence: comparison.sentence, intervalsOverlap: comparison.intervalsOverlap });
    }
  }
  return { experiment, metrics, agreements, ratings: await ratingSummary(db, { experimentId: id }) };
}
