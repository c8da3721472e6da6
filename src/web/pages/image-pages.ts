import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import { PHASES, USE_CASES } from '../../db/schema.js';
import { SHA256_PATTERN } from '../../services/image-files.js';
import {
  completeImage,
  completionDefaults,
  DEFAULT_IMAGE_LIMITS,
  getImage,
  imageFileOf,
  listImagesToComplete,
  listRecentUploads,
  rejected,
  type ImageUploadResult,
} from '../../services/images.js';
import { listModelAliases, mergeModels, removeModelAlias, setModelAlias } from '../../services/model-names.js';
import { listModels } from '../../services/models.js';
import { hardwareNames } from '../../services/runs.js';
import { linkRenderToPlannedRun } from '../../services/duplicate-renders.js';
import { InputError } from '../../services/errors.js';
import { slug, wholeNumber } from '../../validation/fields.js';
import { runInputSchema } from '../../validation/run-input.js';
import { toHttpError } from '../error-handler.js';
import { HttpError } from '../http-error.js';
import { IMAGE_FIELD, receiveImageUploads } from '../image-upload.js';
import { discardBody } from '../api/import-routes.js';
import { parseWith } from '../validate.js';
import { formErrors, formValues } from './form-errors.js';
import { formFieldName, runInputFromForm } from './form-input.js';

const shaParam = z.object({ sha256: z.string().regex(SHA256_PATTERN) });
const completedQuery = z.object({ completed: wholeNumber('completed', 1, Number.MAX_SAFE_INTEGER).optional() });
const aliasForm = z.object({
  alias: z.string({ error: 'alias is required' }).trim().min(1, { error: 'alias is required' }).max(255, { error: 'alias must be at most 255 characters' }),
  model: slug('model'),
});
const mergeForm = z.object({ from: slug('from'), into: slug('into') });

/** The sha256 of a request path, or a 404: paths are never built from anything else a client sends. */
function shaOf(params: unknown): string {
  const parsed = shaParam.safeParse(params);
  if (!parsed.success) throw new HttpError(404, 'not_found', 'There is no such image');
  return parsed.data.sha256;
}

export function imagePages(db: Db, config: Pick<Config, 'dataDir'>): Router {
  const router = Router();

  async function renderImages(res: Response, status: number, locals: { results?: ImageUploadResult[] | null; completed?: number | null }) {
    const [toComplete, recent] = await Promise.all([listImagesToComplete(db, 60), listRecentUploads(db, 48)]);
    res.status(status).render('images', {
      title: 'Images',
      results: locals.results ?? null,
      completed: locals.completed ?? null,
      toComplete,
      recent,
      limits: { maxBytes: DEFAULT_IMAGE_LIMITS.maxBytes, maxFiles: DEFAULT_IMAGE_LIMITS.maxFiles },
      config: { endpoint: '/api/v1/images', field: IMAGE_FIELD, maxFiles: DEFAULT_IMAGE_LIMITS.maxFiles, maxBytes: DEFAULT_IMAGE_LIMITS.maxBytes },
    });
  }

  router.get('/images', async (req, res) => {
    const { completed } = parseWith(completedQuery, req.query, 'query');
    await renderImages(res, 200, { completed: completed ?? null });
  });

  // Without JavaScript the form posts here; with it, the page's script sends the files to the API.
  router.post('/images', async (req, res) => {
    let results: ImageUploadResult[];
    try {
      results = await receiveImageUploads(db, config, req);
    } catch (err) {
      await discardBody(req);
      throw err;
    }
    if (results.length === 0) results = [rejected('(no file)', 'no-files', 'Choose at least one image to upload.')];
    const ok = results.filter((r) => r.ok).length;
    await renderImages(res, ok === 0 ? 422 : 200, { results });
  });

  router.get('/images/:sha256', async (req, res) => {
    const file = await imageFileOf(db, config, shaOf(req.params), 'image');
    res.sendFile(file.path, { headers: { 'Content-Type': file.mime }, maxAge: '365d', immutable: true });
  });

  router.get('/images/:sha256/thumb', async (req, res) => {
    const file = await imageFileOf(db, config, shaOf(req.params), 'thumb');
    res.sendFile(file.path, { headers: { 'Content-Type': file.mime }, maxAge: '365d', immutable: true });
  });

  async function renderComplete(res: Response, sha256: string, values: Record<string, string> | null, errors: Record<string, string>, status = 200) {
    const image = await getImage(db, sha256);
    const models = await listModels(db);
    res.status(status).render('complete-image', {
      title: 'Complete an image',
      image,
      models,
      hardwareOptions: await hardwareNames(db),
      phases: PHASES,
      useCases: USE_CASES,
      v: values ?? (await completionDefaults(db, image)),
      errors,
    });
  }

  router.post('/images/:sha256/link', async (req, res) => {
    const linked = await linkRenderToPlannedRun(db, String(req.params.sha256));
    res.redirect(303, `/experiments/${linked.experimentId}`);
  });

  router.get('/images/:sha256/complete', async (req, res) => {
    await renderComplete(res, shaOf(req.params), null, {});
  });

  router.post('/images/:sha256/complete', async (req, res) => {
    const sha256 = shaOf(req.params);
    try {
      const input = parseWith(runInputSchema, runInputFromForm(req.body ?? {}), 'run');
      const runId = await completeImage(db, config, sha256, input);
      res.redirect(303, `/images?completed=${runId}`);
    } catch (err) {
      const errors = formErrors(err, formFieldName);
      if (!errors) throw err;
      await renderComplete(res, sha256, formValues(req.body), errors, toHttpError(err).status);
    }
  });

  async function renderAliases(res: Response, status: number, locals: { errors?: Record<string, string>; notice?: string | null; values?: Record<string, string> }) {
    const [aliases, models] = await Promise.all([listModelAliases(db), listModels(db)]);
    res.status(status).render('model-aliases', {
      title: 'Model names',
      aliases,
      models,
      errors: locals.errors ?? {},
      notice: locals.notice ?? null,
      values: locals.values ?? {},
    });
  }

  router.get('/model-aliases', async (_req, res) => renderAliases(res, 200, {}));

  router.post('/model-aliases', async (req, res) => {
    try {
      const form = parseWith(aliasForm, req.body ?? {}, 'mapping');
      await setModelAlias(db, form.alias, form.model);
      await renderAliases(res, 200, { notice: `"${form.alias}" now maps to ${form.model} for the next uploads.` });
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      await renderAliases(res, toHttpError(err).status, { errors, values: formValues(req.body) });
    }
  });

  router.post('/model-aliases/delete', async (req, res) => {
    const alias = typeof req.body?.alias === 'string' ? req.body.alias : '';
    await removeModelAlias(db, alias);
    await renderAliases(res, 200, { notice: `The mapping of "${alias}" was removed.` });
  });

  // The confirmation before a merge: what moves where, in counts.
  router.get('/model-aliases/merge', async (req, res) => {
    try {
      const form = parseWith(mergeForm, req.query, 'merge');
      const models = await listModels(db);
      const from = models.find((m) => m.slug === form.from);
      const into = models.find((m) => m.slug === form.into);
      if (!from || !into || from.slug === into.slug) throw new InputError('choose two different models to merge', [{ field: 'into', message: 'choose two different, existing models' }]);
      res.render('confirm', {
        title: `Merge ${from.name} into ${into.name}?`,
        heading: `Merge ${from.name} into ${into.name}?`,
        lines: [
          `${from.runs} run${from.runs === 1 ? '' : 's'} of ${from.name} (${from.slug}) will move to ${into.name} (${into.slug}), with its mappings and experiments.`,
          `${from.name} is then deleted; its name keeps finding ${into.name} for the next uploads. A merge cannot be undone in one step.`,
        ],
        action: '/model-aliases/merge',
        fields: { from: from.slug, into: into.slug },
        confirmLabel: `Merge into ${into.name}`,
        cancelHref: '/model-aliases',
      });
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      await renderAliases(res, 422, { errors, values: formValues(req.query) });
    }
  });

  router.post('/model-aliases/merge', async (req, res) => {
    try {
      const form = parseWith(mergeForm, req.body ?? {}, 'merge');
      const moved = await mergeModels(db, form.from, form.into);
      await renderAliases(res, 200, {
        notice: `Merged ${form.from} into ${form.into}: ${moved.runs} run${moved.runs === 1 ? '' : 's'} and ${moved.aliases} name${moved.aliases === 1 ? '' : 's'} moved.`,
      });
    } catch (err) {
      const errors = formErrors(err);
      if (!errors && toHttpError(err).status !== 404) throw err;
      await renderAliases(res, toHttpError(err).status, { errors: errors ?? { _form: toHttpError(err).message }, values: formValues(req.body) });
    }
  });

  return router;
}
