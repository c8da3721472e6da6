import type { Db } from '../../db/connect.js';
import { findExperimentById } from '../../store/experiments.js';
import { runExtras } from '../../store/runs-bulk.js';
import { metricLabel } from '../metric-labels.js';
import type { Run } from '../run-view.js';
import { getRun } from '../runs.js';

/** One run with everything its detail page shows. */
export interface RunDetail {
  run: Run;
  image: { sha256: string; width: number; height: number; originalName: string | null } | null;
  metrics: { name: string; label: string; value: number }[];
  experiment: { id: number; name: string } | null;
}

/** A run, its image, its metrics (with their labels) and the experiment it belongs to. */
export async function getRunDetail(db: Db, id: number): Promise<RunDetail> {
  const run = await getRun(db, id);
  const [extras, experiment] = await Promise.all([
    runExtras(db, id),
    run.experimentId === null ? Promise.resolve(undefined) : findExperimentById(db, run.experimentId),
  ]);
  return {
    run,
    image: extras.image
      ? { sha256: extras.image.sha256, width: extras.image.width, height: extras.image.height, originalName: extras.image.original_name }
      : null,
    metrics: extras.metrics.map((m) => ({ name: m.name, label: metricLabel(m.name), value: m.value })),
    experiment: experiment ? { id: experiment.id, name: experiment.name } : null,
  };
}
