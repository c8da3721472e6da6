import type { Router } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { analyzeApi } from '../../src/web/api/analyze-routes.js';
import { modelsApi } from '../../src/web/api/models-routes.js';
import { runsApi } from '../../src/web/api/runs-routes.js';
import { runsExportApi } from '../../src/web/api/export-runs-routes.js';
import { importApi } from '../../src/web/api/import-routes.js';
import { imagesApi } from '../../src/web/api/images-routes.js';
import { experimentsApi } from '../../src/web/api/experiments-routes.js';
import { judgementsApi } from '../../src/web/api/judgements-routes.js';
import { settingsExportApi } from '../../src/web/api/settings-export-routes.js';
import { renderersApi } from '../../src/web/api/renderers-routes.js';
import { renderRunsApi } from '../../src/web/api/render-runs-routes.js';
import { createTestApp } from '../helpers/test-app.js';

type Layer = { route?: { path: string; methods: Record<string, boolean> } };

/** Every `method path` a router serves under its mount point, read from Express itself. */
function routesOf(mount: string, router: Router): string[] {
  return (router.stack as Layer[]).flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((m) => `${m} ${mount}${layer.route!.path === '/' ? '' : layer.route!.path}`) : [],
  );
}

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3 document that matches the routes', async () => {
    const { app, db } = await createTestApp();
    const res = await request(app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, ops]) =>
        Object.keys(ops)
          .filter((k) => ['get', 'post', 'patch', 'delete', 'put'].includes(k))
          .map((m) => `${m} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    const served = [...routesOf('/runs', runsApi(db)), ...routesOf('/models', modelsApi(db)), ...routesOf('/analyze', analyzeApi()), ...routesOf('/export', settingsExportApi(db)), ...routesOf('/import', importApi(db)), ...routesOf('/images', imagesApi(db, { dataDir: '/tmp/sweetspot-openapi-test' })), ...routesOf('/export', runsExportApi(db)), ...routesOf('/experiments', experimentsApi(db)), ...routesOf('/judgements', judgementsApi(db)), 'get /openapi.json'].sort();
    served.push(...routesOf('/renderers', renderersApi(db)), ...routesOf('/experiments', renderRunsApi(db, { dataDir: '/tmp/sweetspot-openapi-test' })));
    served.sort();
    expect(documented).toEqual(served);

    // Each documented operation reaches a route (anything but the API's "no such route").
    for (const op of documented) {
      const [method, path] = op.split(' ') as [string, string];
      const url = '/api/v1' + path.replace(':id', '1').replace(':slug', 'flux-dev');
      const r = await (request(app) as unknown as Record<string, (u: string) => request.Test>)[method]!(url).send({});
      expect(r.body?.error?.message ?? '', op).not.toMatch(/No API route/);
    }
    expect(res.body.components.schemas.RunInput.properties.steps).toMatchObject({ type: 'integer', minimum: 1 });
  });
});
