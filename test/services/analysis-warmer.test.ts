import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { startAnalysisWarmer } from '../../src/services/analysis-warmer.js';
import { countRows, createTestApp } from '../helpers/test-app.js';

describe('startAnalysisWarmer', () => {
  it('recomputes stale default analyses off the request path, recording their snapshots', async () => {
    const t = await createTestApp();
    const warmer = startAnalysisWarmer(t.db, { intervalMs: 60_000 });
    try {
      await request(t.app).post('/demo').expect(303);
      const before = Number((await t.db.selectFrom('sweet_spot_snapshots').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      expect(before).toBe(0);
      await warmer.refresh();
      const after = Number((await t.db.selectFrom('sweet_spot_snapshots').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      expect(after).toBe(4);
      // Nothing changed: a second pass computes nothing new.
      await warmer.refresh();
      expect(Number((await t.db.selectFrom('sweet_spot_snapshots').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(4);
      expect(await countRows(t.db, 'runs')).toBeGreaterThan(0);
    } finally {
      warmer.stop();
    }
  });
});
