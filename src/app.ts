import path from 'node:path';
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
import { experimentsApi } from './web/api/experiments-routes.js';
import { renderersApi } from './web/api/renderers-routes.js';
import { renderRunsApi } from './web/api/render-runs-routes.js';
import { judgementsApi } from './web/api/judgements-routes.js';
import { imagesApi } from './web/api/images-routes.js';
import { settingsExportApi } from './web/api/settings-export-routes.js';
import { errorHandler } from './web/error-handler.js';
import { hostCheck } from './web/security/host-check.js';
import { originCheck } from './web/security/origin-check.js';
import { sessionSigner } from './web/security/session-cookie.js';
import { signInRoutes } from './web/security/sign-in-routes.js';
import { tokenAuth } from './web/security/token-auth.js';
import { HttpError } from './web/http-error.js';
import { comparePages } from './web/pages/compare-pages.js';
import { dashboardPages } from './web/pages/dashboard-pages.js';
import { experimentPages } from './web/pages/experiment-pages.js';
import { ratePages } from './web/pages/rate-pages.js';
import { importPages } from './web/pages/import-pages.js';
import { exportPages } from './web/pages/export-pages.js';
import { imagePages } from './web/pages/image-pages.js';
import { galleryPages } from './web/pages/gallery-pages.js';
import { modelPages } from './web/pages/model-pages.js';
import { runPages } from './web/pages/run-pages.js';
import { rendererPages } from './web/pages/renderer-pages.js';
import { viewHelpers } from './web/view-helpers.js';
import { packageRoot } from './package-root.js';
import { asClient } from './services/analysis-budget.js';
import { sessionStore } from './services/sessions.js';

export interface AppDeps {
  db: Db;
  config: Config;
  /** Where unexpected errors go (stderr by default; tests silence it). */
  logError?: (err: unknown) => void;
}

/** Builds the Express app; it never listens (main.ts does, tests drive it through supertest). */
export function createApp({ db, config, logError }: AppDeps): Express {
  const ROOT = packageRoot(); // views/, public/ and node_modules/ stay in the package folder when built
  const app = express();
  app.disable('x-powered-by');
  // Behind a reverse proxy (SWEETSPOT_TRUST_PROXY): req.ip is the client's (rate limits per client)
  // and req.secure follows X-Forwarded-Proto (the sign-in cookie gets Secure over HTTPS).
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(ROOT, 'views'));
  app.locals.h = viewHelpers;
  // First: a request naming a host this server is not (DNS rebinding) gets nothing else.
  app.use(hostCheck({ listenHost: config.host, allowedHosts: config.allowedHosts }));
  // The analysis variants a client asks for by query string (API analysis, model report) count against
  // its budget of uncached analyses (services/analysis-budget.ts); pages that derive their own variants
  // (export, compare, experiments) are bounded by the data, not by the client.
  app.use(['/api/v1/models/:slug/analysis', '/models/:slug'], function trackClient(req, _res, next) {
    asClient(req.ip ?? 'unknown', next);
  });

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
      // Not helmet's `no-referrer`: under it browsers send `Origin: null` with same-origin form posts,
      // which the origin check must refuse. `same-origin` still sends nothing to other sites.
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use('/static', express.static(path.join(ROOT, 'public'), { maxAge: '1h' }));
  app.use('/vendor/chart.js', express.static(path.join(ROOT, 'node_modules/chart.js/dist'), { maxAge: '1d' }));
  app.use(cookieParser());
  // Every write: refused when it comes from another site (CSRF), then, with a token set, when unsigned.
  app.use(originCheck());
  if (config.token !== null) {
    const session = sessionSigner({ token: config.token });
    const sessions = sessionStore(db);
    app.use(tokenAuth({ token: config.token, session, sessions }));
    app.use(signInRoutes({ token: config.token, session, sessions }));
  }

  const api = express.Router();
  // Before the JSON parser: the import streams its raw body (CSV, JSON or NDJSON) itself.
  api.use('/import', importApi(db));
  // Multipart: streamed file by file to temporary files by the route itself.
  api.use('/images', imagesApi(db, config));
  api.use(express.json({ limit: '16mb', strict: false }));
  api.use('/runs', runsApi(db));
  api.use('/models', modelsApi(db));
  api.use('/analyze', analyzeApi());
  api.use('/experiments', experimentsApi(db));
  api.use('/renderers', renderersApi(db));
  api.use('/experiments', renderRunsApi(db, config));
  api.use('/judgements', judgementsApi(db));
  api.use('/export', settingsExportApi(db));
  api.use('/export', runsExportApi(db));
  api.get('/openapi.json', openApiRoute());
  api.use((req) => {
    throw new HttpError(404, 'not_found', `No API route ${req.method} ${req.originalUrl.split('?')[0]}`);
  });
  app.use('/api/v1', api);

  // Before the form parser: the fill-in grid posts up to two fields per planned render, more than its
  // parameter limit, so those routes parse their own bodies.
  app.use(experimentPages(db));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(ratePages(db));
  app.use(dashboardPages(db, config));
  app.use(runPages(db));
  app.use(modelPages(db));
  app.use(comparePages(db));
  app.use(importPages(db));
  app.use(exportPages(db));
  app.use(imagePages(db, config));
  app.use(galleryPages(db));
  app.use(rendererPages(db));
  app.use((req) => {
    throw new HttpError(404, 'not_found', `There is no page at ${req.path}`);
  });

  app.use(errorHandler(logError ? { log: logError } : {}));
  return app;
}
