import { z } from 'zod';
import { RENDERER_KINDS } from '../renderers/planned-render.js';
import { optionalText } from './fields.js';

/** The most characters a workflow's JSON may have (a real "Export (API)" file is a few tens of KB). */
export const MAX_WORKFLOW_CHARS = 2 * 1024 * 1024;

/**
 * `POST /api/v1/renderers`, the form and `sweetspot renderer add`: `{ kind, url, name?, workflow? }`.
 * `workflow` is the API-format JSON of a ComfyUI renderer: an object, or its text (the form's textarea).
 * The URL and workflow are checked further by the service (scheme, reachability, sampler).
 */
export const rendererInputSchema = z
  .object({
    kind: z.enum(RENDERER_KINDS, { error: `kind must be one of: ${RENDERER_KINDS.join(', ')}` }),
    url: z.string({ error: 'url must be text, e.g. http://127.0.0.1:8188' }).trim().min(1, { error: 'url is required, e.g. http://127.0.0.1:8188' }).max(2000, { error: 'url must be at most 2000 characters' }),
    name: optionalText('name', 100),
    workflow: z
      .union([z.record(z.string(), z.unknown()), z.string().max(MAX_WORKFLOW_CHARS, { error: `workflow must be at most ${MAX_WORKFLOW_CHARS} characters of JSON` })], {
        error: 'workflow must be the API-format workflow: a JSON object (ComfyUI: Workflow → Export (API))',
      })
      .nullable()
      .optional(),
  })
  .strict();

export type RendererInput = z.infer<typeof rendererInputSchema>;
