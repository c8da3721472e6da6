import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { listJudgementsIn, recordJudgement } from '../../services/judgements.js';
import { judgementInputSchema } from '../../validation/experiment-input.js';
import { slug, wholeNumber, withoutBlankFields } from '../../validation/fields.js';
import { HttpError } from '../http-error.js';
import { parseWith } from '../validate.js';

export const judgementQuerySchema = z.preprocess(
  withoutBlankFields,
  z.object({
    experiment: wholeNumber('experiment', 1, Number.MAX_SAFE_INTEGER).optional(),
    model: slug('model').optional(),
  }),
);

/** Blind pairwise judgements: each one refits the preference metric of its block. */
export function judgementsApi(db: Db): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parseWith(judgementQuerySchema, req.query, 'query');
    const judgements = await listJudgementsIn(db, {
      ...(query.experiment !== undefined ? { experimentId: query.experiment } : {}),
      ...(query.model !== undefined ? { modelSlug: query.model } : {}),
    });
    res.json({ judgements });
  });

  router.post('/', async (req, res) => {
    const body: unknown = req.body;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'invalid_body', 'Send a JSON judgement { runA, runB, outcome, rater } with Content-Type: application/json');
    }
    const recorded = await recordJudgement(db, parseWith(judgementInputSchema, body, 'judgement'));
    res.status(201).json(recorded);
  });

  return router;
}
