import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { addRenderer, getRenderer, listRenderers, removeRenderer } from '../../services/renderers.js';
import { wholeNumber } from '../../validation/fields.js';
import { rendererInputSchema } from '../../validation/renderer-input.js';
import { HttpError } from '../http-error.js';
import { parseWith } from '../validate.js';

const idParam = z.object({ id: wholeNumber('id', 1, Number.MAX_SAFE_INTEGER) });

/** The ComfyUI and A1111/Forge servers sweetspot renders on: add one (it must answer), list, remove. */
export function renderersApi(db: Db): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    res.json({ renderers: await listRenderers(db) });
  });

  router.post('/', async (req, res) => {
    const body: unknown = req.body;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError(400, 'invalid_body', 'Send a JSON renderer object { kind, url, name?, workflow? } with Content-Type: application/json');
    }
    const renderer = await addRenderer(db, parseWith(rendererInputSchema, body, 'renderer'));
    res.status(201).location(`/api/v1/renderers/${renderer.id}`).json(renderer);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'renderer id');
    res.json(await getRenderer(db, id));
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parseWith(idParam, req.params, 'renderer id');
    await removeRenderer(db, id);
    res.status(204).end();
  });

  return router;
}
