import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import { loadDashboard } from '../../services/dashboard.js';
import { countDemoRuns, loadDemo, removeDemo } from '../../services/demo.js';
import { wholeNumber } from '../../validation/fields.js';
import { sparkline } from '../sparkline.js';

/** The banner after loading or removing the demo (the undo is the opposite action: both are cheap). */
const demoOutcome = z.object({
  demoLoaded: wholeNumber('demoLoaded', 0, 10_000_000).optional(),
  demoRemoved: wholeNumber('demoRemoved', 0, 10_000_000).optional(),
});

export function dashboardPages(db: Db, config: Pick<Config, 'dataDir'>): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const outcome = demoOutcome.safeParse(req.query);
    const dashboard = await loadDashboard(db);
    const sparks = dashboard.cards.map((card) => (card.analysis ? sparkline(card.analysis) : null));
    res.render('dashboard', { title: 'Dashboard', dashboard, sparks, demoOutcome: outcome.success ? outcome.data : {} });
  });

  router.post('/demo', async (_req, res) => {
    const { added } = await loadDemo(db, config);
    res.redirect(303, `/?demoLoaded=${added}`);
  });

  // The confirmation before the demo data goes.
  router.get('/demo/remove', async (_req, res) => {
    const n = await countDemoRuns(db);
    res.render('confirm', {
      title: 'Remove the demo data?',
      heading: 'Remove the demo data?',
      lines: [`${n} demo run${n === 1 ? '' : 's'} (tagged “demo”) will be deleted, with their images' runs, judgements and the demo experiment. Your own runs stay. You can load the demo again at any time.`],
      action: '/demo/remove',
      fields: {},
      confirmLabel: 'Remove the demo data',
      cancelHref: '/',
    });
  });

  router.post('/demo/remove', async (_req, res) => {
    const removed = await removeDemo(db, config);
    res.redirect(303, `/?demoRemoved=${removed}`);
  });

  return router;
}
