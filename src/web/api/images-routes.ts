import { Router } from 'express';
import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import { linkRenderToPlannedRun } from '../../services/duplicate-renders.js';
import { getImage } from '../../services/images.js';
import { HttpError } from '../http-error.js';
import { IMAGE_FIELD, receiveImageUploads } from '../image-upload.js';
import { discardBody } from './import-routes.js';

/**
 * `POST /api/v1/images` (multipart, field `files`): one result per file, 200 when every file was
 * stored (or already was), 207 when some were rejected. `GET /api/v1/images/:sha256`: a stored image
 * with its parsed settings and run.
 */
export function imagesApi(db: Db, config: Pick<Config, 'dataDir'>): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    let results;
    try {
      results = await receiveImageUploads(db, config, req);
    } catch (err) {
      await discardBody(req);
      throw err;
    }
    if (results.length === 0) {
      throw new HttpError(400, 'no_files', `Send at least one image in the multipart field "${IMAGE_FIELD}"`, [
        { field: IMAGE_FIELD, message: 'no file was sent' },
      ]);
    }
    const ok = results.filter((r) => r.ok).length;
    res.status(ok === results.length ? 200 : 207).json({
      results,
      stored: results.filter((r) => r.created).length,
      runs: results.filter((r) => r.status === 'created').length,
      incomplete: results.filter((r) => r.status === 'incomplete').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      rejected: results.length - ok,
    });
  });

  router.get('/:sha256', async (req, res) => {
    const image = await getImage(db, String(req.params.sha256));
    res.json({ ...image, url: `/images/${image.sha256}`, thumbUrl: `/images/${image.sha256}/thumb` });
  });

  // A render stored before its sweep was planned: move it into the planned run its settings match.
  router.post('/:sha256/link', async (req, res) => {
    res.json(await linkRenderToPlannedRun(db, String(req.params.sha256)));
  });

  return router;
}
