import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import type { InputRef } from '../../renderers/index.js';
import { addRenderer, listRenderers, removeRenderer, type Renderer } from '../../services/renderers.js';
import { wholeNumber } from '../../validation/fields.js';
import { rendererInputSchema } from '../../validation/renderer-input.js';
import { toHttpError } from '../error-handler.js';
import { parseWith } from '../validate.js';
import { formErrors, formValues } from './form-errors.js';

const idParam = z.object({ id: wholeNumber('id', 1, Number.MAX_SAFE_INTEGER) });

/** The settings a mapping names, as rows "Steps — node 3 KSampler · steps = 20", for the page. */
function mappingRows(renderer: Renderer): { label: string; where: string }[] {
  const m = renderer.mapping;
  if (!m) return [];
  const where = (ref: InputRef | null) => (ref === null ? 'not in the workflow' : `node ${ref.node} ${ref.classType} · ${ref.input} = ${String(ref.value).slice(0, 80)}`);
  return [
    { label: 'Sampler', where: `node ${m.sampler.node} ${m.sampler.classType}` },
    { label: 'Steps', where: where(m.steps) },
    { label: 'Seed', where: where(m.seed) },
    { label: 'Sampler name', where: where(m.samplerName) },
    { label: 'Guidance', where: where(m.guidance) },
    { label: 'Size', where: m.width && m.height ? `node ${m.width.node} ${m.width.classType} · ${String(m.width.value)}×${String(m.height.value)}` : 'not in the workflow' },
    { label: 'Checkpoint', where: where(m.checkpoint) },
    { label: 'Prompt', where: where(m.prompt) },
    { label: 'Negative prompt', where: where(m.negativePrompt) },
  ];
}

/** The form's fields as the API's input: blank name and workflow mean "not given". */
function inputFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const text = (key: string) => (typeof body[key] === 'string' && (body[key] as string).trim() !== '' ? body[key] : undefined);
  return { kind: body.kind, url: typeof body.url === 'string' ? body.url : '', name: text('name'), workflow: text('workflow') };
}

/** The renderers page: the configured ComfyUI and A1111/Forge servers, and a form to add one. */
export function rendererPages(db: Db): Router {
  const router = Router();

  async function renderPage(res: Response, values: Record<string, string>, errors: Record<string, string>, status = 200) {
    const renderers = await listRenderers(db);
    res.status(status).render('renderers', {
      title: 'Renderers',
      renderers: renderers.map((r) => ({ ...r, mappingRows: mappingRows(r) })),
      values: { kind: 'comfyui', ...values },
      errors,
    });
  }

  router.get('/renderers', async (_req, res) => renderPage(res, {}, {}));

  router.post('/renderers', async (req, res) => {
    try {
      await addRenderer(db, parseWith(rendererInputSchema, inputFromForm((req.body ?? {}) as Record<string, unknown>), 'renderer'));
      res.redirect(303, '/renderers');
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      await renderPage(res, formValues(req.body), errors, toHttpError(err).status);
    }
  });

  router.post('/renderers/:id/delete', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'renderer id');
    await removeRenderer(db, id);
    res.redirect(303, '/renderers');
  });

  return router;
}
