import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { PHASES, USE_CASES } from '../../db/schema.js';
import { stepWarnings } from '../../analysis/guide-warnings.js';
import { listModels } from '../../services/models.js';
import { createRun, deleteRun, getRun, hardwareNames, updateRun } from '../../services/runs.js';
import { deleteRuns, MAX_BULK_RUNS, moveRuns, tagRuns, untagRuns } from '../../services/runs/bulk-runs.js';
import { getRunDetail } from '../../services/runs/run-detail.js';
import { listRunsByQuery } from '../../services/run-listing.js';
import { oneTag, slug, wholeNumber } from '../../validation/fields.js';
import { runInputSchema, runPatchSchema } from '../../validation/run-input.js';
import { runQuerySchema } from '../../validation/run-query.js';
import { inSecondsWording } from '../../validation/user-units.js';
import { parseWith } from '../validate.js';
import { formFieldName, runInputFromForm } from './form-input.js';
import { formErrors, formValues } from './form-errors.js';
import { readLastSettings, rememberSettings } from './last-settings.js';

const idParam = z.object({ id: wholeNumber('id', 1, Number.MAX_SAFE_INTEGER) });
const logFormQuery = z.object({
  logged: wholeNumber('logged', 1, Number.MAX_SAFE_INTEGER).optional(),
  model: slug('model').optional(),
});

/** Where to go back to after an edit or a delete: the runs list with the filter the user came from. */
export function runsBack(value: unknown): string {
  return typeof value === 'string' && /^\/runs(\?[\w.~%+=&;:,@-]*)?$/.test(value) ? value : '/runs';
}

/** The back address with the outcome banner's fields added. */
function withOutcome(back: string, outcome: Record<string, string | number>): string {
  const [path, search = ''] = back.split('?');
  const params = new URLSearchParams(search);
  for (const key of ['done', 'n', 'tag', 'from', 'to', 'ids', 'id']) params.delete(key);
  for (const [k, v] of Object.entries(outcome)) params.set(k, String(v));
  return `${path}?${params.toString()}`;
}

/** The banner the runs list shows after an action: what was done, and its undo where one is cheap. */
const outcomeQuery = z.object({
  done: z.enum(['deleted', 'tagged', 'untagged', 'moved', 'updated']).optional(),
  n: wholeNumber('n', 0, Number.MAX_SAFE_INTEGER).optional(),
  id: wholeNumber('id', 1, Number.MAX_SAFE_INTEGER).optional(),
  tag: z.string().max(64).optional(),
  from: z.string().max(64).optional(),
  to: z.string().max(64).optional(),
  ids: z.string().max(20_000).regex(/^\d{1,15}(,\d{1,15})*$/).optional(),
});

const bulkForm = express.urlencoded({ extended: false, limit: '200kb', parameterLimit: MAX_BULK_RUNS + 20 });

function idsFromBody(body: Record<string, unknown>): number[] {
  const raw = body.ids;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  return [...new Set(list.filter((v): v is string => typeof v === 'string' && /^\d{1,15}$/.test(v)).map(Number))];
}

export function runPages(db: Db): Router {
  const router = Router();

  async function renderLogForm(req: Request, res: import('express').Response, options: { values: Record<string, string>; errors: Record<string, string>; status?: number; loggedId?: number }) {
    const models = await listModels(db);
    const logged = options.loggedId ? await getRun(db, options.loggedId).catch(() => null) : null;
    const loggedModel = logged ? models.find((m) => m.slug === logged.model) : undefined;
    const warnings = logged && loggedModel ? stepWarnings(logged.steps, logged.phase as never, loggedModel.guide, loggedModel.name) : [];
    res.status(options.status ?? 200).render('log-run', {
      title: 'Log a run',
      models,
      hardwareOptions: await hardwareNames(db),
      useCases: USE_CASES,
      phases: PHASES,
      values: options.values,
      errors: options.errors,
      logged,
      warnings,
    });
  }

  router.get('/runs/new', async (req, res) => {
    const { logged, model } = parseWith(logFormQuery, req.query, 'query');
    const values: Record<string, string> = { ...readLastSettings(req), ...(model ? { model } : {}) };
    await renderLogForm(req, res, { values, errors: {}, ...(logged ? { loggedId: logged } : {}) });
  });

  router.post('/runs', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const input = parseWith(runInputSchema, runInputFromForm(body), 'run');
      const run = await createRun(db, input, 'form');
      rememberSettings(res, body);
      res.redirect(303, `/runs/new?logged=${run.id}`);
    } catch (err) {
      const errors = formErrors(err, formFieldName, inSecondsWording);
      if (!errors) throw err;
      await renderLogForm(req, res, { values: formValues(body), errors, status: 422 });
    }
  });

  router.get('/runs', async (req, res) => {
    const query = parseWith(runQuerySchema, req.query, 'filters');
    const outcome = outcomeQuery.safeParse(req.query);
    const [page, models, hardwareOptions] = await Promise.all([listRunsByQuery(db, query), listModels(db), hardwareNames(db)]);
    res.render('runs', {
      title: 'Runs',
      page,
      query,
      outcome: outcome.success && outcome.data.done ? outcome.data : null,
      here: req.originalUrl,
      models,
      hardwareOptions,
      useCases: USE_CASES,
      phases: PHASES,
    });
  });

  // The runs table's multi-select: delete (after a confirmation), tag, untag (the undo) or move.
  router.post('/runs/bulk', bulkForm, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const back = runsBack(body.back);
    const ids = idsFromBody(body);
    const action = body.action;
    if (action === 'delete') {
      if (body.confirm !== 'yes') {
        res.render('confirm', {
          title: `Delete ${ids.length} run${ids.length === 1 ? '' : 's'}?`,
          heading: `Delete ${ids.length} run${ids.length === 1 ? '' : 's'}?`,
          lines: [`${ids.length} selected run${ids.length === 1 ? '' : 's'} will be deleted with their tags, metrics and blind judgements. This cannot be undone.`],
          action: '/runs/bulk',
          fields: { action: 'delete', confirm: 'yes', back, ids: ids.join(',') },
          confirmLabel: `Delete ${ids.length} run${ids.length === 1 ? '' : 's'}`,
          cancelHref: back,
        });
        return;
      }
      const n = await deleteRuns(db, ids);
      res.redirect(303, withOutcome(back, { done: 'deleted', n }));
      return;
    }
    if (action === 'tag' || action === 'untag') {
      const tag = parseWith(z.object({ tag: oneTag('tag') }), { tag: body.tag }, 'tag').tag;
      if (action === 'tag') {
        const added = await tagRuns(db, ids, tag);
        res.redirect(303, withOutcome(back, { done: 'tagged', n: added.length, tag, ids: added.join(',') }));
      } else {
        const n = await untagRuns(db, ids, tag);
        res.redirect(303, withOutcome(back, { done: 'untagged', n, tag }));
      }
      return;
    }
    if (action === 'move') {
      const model = typeof body.model === 'string' ? body.model : '';
      const moved = await moveRuns(db, ids, model);
      res.redirect(303, withOutcome(back, { done: 'moved', n: moved.moved, to: moved.to, ...(moved.from ? { from: moved.from, ids: ids.join(',') } : {}) }));
      return;
    }
    res.redirect(303, back);
  });

  router.get('/runs/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    const detail = await getRunDetail(db, id);
    res.render('run', { title: `Run #${id}`, ...detail, back: runsBack(req.query.back) });
  });

  async function renderEditForm(res: Response, id: number, values: Record<string, string> | null, errors: Record<string, string>, status = 200, back = '/runs') {
    const run = await getRun(db, id);
    res.status(status).render('edit-run', {
      title: `Edit run ${run.id}`,
      run,
      back,
      values,
      errors,
      models: await listModels(db),
      hardwareOptions: await hardwareNames(db),
      useCases: USE_CASES,
      phases: PHASES,
    });
  }

  router.get('/runs/:id/edit', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    await renderEditForm(res, id, null, {}, 200, runsBack(req.query.back));
  });

  router.post('/runs/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const { back: _back, ...fields } = body;
      await updateRun(db, id, parseWith(runPatchSchema, runInputFromForm(fields, { partial: true }), 'run'));
      res.redirect(303, withOutcome(runsBack(body.back), { done: 'updated', id }));
    } catch (err) {
      const errors = formErrors(err, formFieldName, inSecondsWording);
      if (!errors) throw err;
      await renderEditForm(res, id, formValues(body), errors, 422, runsBack(body.back));
    }
  });

  // The confirmation before a run is deleted.
  router.get('/runs/:id/delete', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    const run = await getRun(db, id);
    const back = runsBack(req.query.back);
    res.render('confirm', {
      title: `Delete run #${id}?`,
      heading: `Delete run #${id}?`,
      lines: [`Run #${id} (${run.modelName}, ${run.steps} steps${run.score === null ? '' : `, score ${run.score}`}) will be deleted with its tags, metrics and blind judgements. This cannot be undone.`],
      action: `/runs/${id}/delete`,
      fields: { back },
      confirmLabel: `Delete run #${id}`,
      cancelHref: `/runs/${id}/edit?back=${encodeURIComponent(back)}`,
    });
  });

  router.post('/runs/:id/delete', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'run id');
    await deleteRun(db, id);
    res.redirect(303, withOutcome(runsBack((req.body as Record<string, unknown> | undefined)?.back), { done: 'deleted', n: 1 }));
  });

  return router;
}
