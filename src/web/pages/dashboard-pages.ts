import { Router } from 'express';
import type { Db } from '../../db/connect.js';
import { loadDashboard } from '../../services/dashboard.js';
import { loadDemo, removeDemo } from '../../services/demo.js';
import { sparkline } from '../sparkline.js';

export function dashboardPages(db: Db): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const dashboard = await loadDashboard(db);
    const sparks = dashboard.cards.map((card) => (card.analysis ? sparkline(card.analysis) : null));
    res.render('dashboard', { title: 'Dashboard', dashboard, sparks });
  });

  router.post('/demo', async (_req, res) => {
    await loadDemo(db);
    res.redirect(303, '/');
  });

  router.post('/demo/remove', async (_req, res) => {
    await removeDemo(db);
    res.redirect(303, '/');
  });

  return router;
}
