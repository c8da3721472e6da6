import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { listExperiments } from '../../services/experiments.js';
import { nextPair, pairOf, recordJudgement, type NextPair, type RatingScope } from '../../services/judgements.js';
import { listModels } from '../../services/models.js';
import { judgementInputSchema } from '../../validation/experiment-input.js';
import { slug, wholeNumber, withoutBlankFields } from '../../validation/fields.js';
import { parseWith } from '../validate.js';
import { formErrors } from './form-errors.js';

/** The rater's name, remembered per browser (there are no accounts). */
const RATER_COOKIE = 'sweetspot_rater';
const CHOICES = { left: 'a', right: 'b', tie: 'tie' } as const;

const scopeQuery = z.preprocess(
  withoutBlankFields,
  z.object({
    experiment: wholeNumber('experiment', 1, Number.MAX_SAFE_INTEGER).optional(),
    model: slug('model').optional(),
    rated: z.enum(['a', 'b', 'tie']).optional(),
  }),
);

const rateForm = z.object({
  left: wholeNumber('left', 1, Number.MAX_SAFE_INTEGER),
  right: wholeNumber('right', 1, Number.MAX_SAFE_INTEGER),
});

function scopeOf(query: { experiment?: number | undefined; model?: string | undefined }): RatingScope {
  if (query.experiment !== undefined) return { experimentId: query.experiment };
  if (query.model !== undefined) return { modelSlug: query.model };
  return {};
}

function raterFrom(req: Request): string {
  const raw: unknown = req.cookies?.[RATER_COOKIE];
  return typeof raw === 'string' && raw.length <= 100 ? raw : '';
}

export function ratePages(db: Db): Router {
  const router = Router();

  async function render(
    res: Response,
    query: { experiment?: number | undefined; model?: string | undefined },
    options: { rater: string; rated?: string; errors?: Record<string, string>; pair?: NextPair | null; status?: number },
  ) {
    const scope = scopeOf(query);
    const [state, experiments, models] = await Promise.all([nextPair(db, scope), listExperiments(db, 20), listModels(db)]);
    const pair = options.pair ?? state.pair;
    res.status(options.status ?? 200).render('rate', {
      title: 'Rate blind',
      state,
      pair,
      rater: options.rater,
      rated: options.rated ?? null,
      errors: options.errors ?? {},
      scopeQuery: { experiment: query.experiment, model: query.experiment === undefined ? query.model : undefined },
      experiments: experiments.filter((e) => e.progress.imaged >= 2),
      models,
    });
  }

  router.get('/rate', async (req, res) => {
    const query = parseWith(scopeQuery, req.query, 'query');
    await render(res, query, { rater: raterFrom(req), ...(query.rated ? { rated: query.rated } : {}) });
  });

  router.post('/rate', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const query = parseWith(scopeQuery, { experiment: body.experiment, model: body.model }, 'scope');
    const { left, right } = parseWith(rateForm, body, 'pair');
    const choice = typeof body.choice === 'string' && body.choice in CHOICES ? CHOICES[body.choice as keyof typeof CHOICES] : undefined;
    const rater = typeof body.rater === 'string' ? body.rater.trim() : '';
    try {
      const input = parseWith(judgementInputSchema, { runA: left, runB: right, outcome: choice ?? '', rater }, 'judgement');
      await recordJudgement(db, input);
      res.cookie(RATER_COOKIE, input.rater, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 86_400_000, path: '/' });
      const next = new URLSearchParams();
      if (query.experiment !== undefined) next.set('experiment', String(query.experiment));
      else if (query.model !== undefined) next.set('model', query.model);
      next.set('rated', input.outcome);
      res.redirect(303, `/rate?${next.toString()}`);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      await render(res, query, { rater, errors, pair: await pairOf(db, left, right), status: 422 });
    }
  });

  return router;
}
