import { Router } from 'express';
import type { Db } from '../../db/connect.js';
import { loadDashboard } from '../../services/dashboard.js';
import { loadDemo, removeDemo } from '../../services/demo.js';

export function dashboardPages(db: Db): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.render('dashboard', { title: 'Dashboard', dashboard: await loadDashboard(db) });
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
