import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { GALLERY_MAX_LEVELS, GALLERY_MAX_ROWS, loadGallery } from '../../services/gallery.js';
import { optionalWholeNumber, slug, withoutBlankFields } from '../../validation/fields.js';
import { parseWith } from '../validate.js';

const slugParam = z.object({ slug: slug('slug') });
const compareQuery = z.preprocess(
  withoutBlankFields,
  z.object({ a: optionalWholeNumber('a', 1, Number.MAX_SAFE_INTEGER), b: optionalWholeNumber('b', 1, Number.MAX_SAFE_INTEGER) }),
);

/** `/models/:slug/gallery`: the X/Y grid of a model's renders; `?a=&b=` (run ids) compares two side by side. */
export function galleryPages(db: Db): Router {
  const router = Router();

  router.get('/models/:slug/gallery', async (req, res) => {
    const { slug: s } = parseWith(slugParam, req.params, 'model');
    const { a, b } = parseWith(compareQuery, req.query, 'query');
    const gallery = await loadGallery(db, s, { a: a ?? undefined, b: b ?? undefined });
    res.render('gallery', {
      title: `${gallery.model.name} · gallery`,
      gallery,
      chosen: { a: gallery.compare.a?.runId ?? null, b: gallery.compare.b?.runId ?? null },
      limits: { rows: GALLERY_MAX_ROWS, levels: GALLERY_MAX_LEVELS },
    });
  });

  return router;
}
