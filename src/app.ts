import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Config } from './config.js';
import type { Db } from './db/connect.js';
import { analyzeApi } from './web/api/analyze-routes.js';
import { modelsApi } from './web/api/models-routes.js';
import { openApiRoute } from './web/api/openapi.js';
import { runsApi } from './web/api/runs-routes.js';
import { runsExportApi } from './web/api/export-runs-routes.js';
import { importApi } from './web/api/import-routes.js';
import { settingsExportApi } from './web/api/settings-export-routes.js';
import { errorHandler } from './web/error-handler.js';
import { HttpError } from './web/http-error.js';
import { dashboardPages } from './web/pages/dashboard-pages.js';
import { modelPages } from './web/pages/model-pages.js';
import { runPages } from './web/pages/run-pages.js';
import { viewHelpers } from './web/view-helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppDeps {
  db: Db;
  config: Config;
  /** Where unexpected errors go (stderr by default; tests silence it). */
  logError?: (err: unknown) => void;
}

/** Builds the Express app; it never listens (main.ts does, tests drive it through supertest). */
export function createApp({ db, logError }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('view engine', 'ejs');
  app.set('views', path.join(ROOT, 'views'));
  app.locals.h = viewHelpers;

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  app.use('/static', express.static(path.join(ROOT, 'public'), { maxAge: '1h' }));
  app.use('/vendor/chart.js', express.static(path.join(ROOT, 'node_modules/chart.js/dist'), { maxAge: '1d' }));
  app.use(cookieParser());

  const api = express.Router();
  // Before the JSON parser: the import streams its raw body (CSV, JSON or NDJSON) itself.
  api.use('/import', importApi(db));
  api.use(express.json({ limit: '16mb', strict: false }));
  api.use('/runs', runsApi(db));
  api.use('/models', modelsApi(db));
  api.use('/analyze', analyzeApi());
  api.use('/export', settingsExportApi(db));
  api.use('/export', runsExportApi(db));
  api.get('/openapi.json', openApiRoute());
  api.use((req) => {
    throw new HttpError(404, 'not_found', `No API route ${req.method} ${req.originalUrl.split('?')[0]}`);
  });
  app.use('/api/v1', api);

  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(dashboardPages(db));
  app.use(runPages(db));
  app.use(modelPages(db));
  app.use((req) => {
    throw new HttpError(404, 'not_found', `There is no page at ${req.path}`);
  });

  app.use(errorHandler(logError ? { log: logError } : {}));
  return app;
}
