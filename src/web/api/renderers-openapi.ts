import { z } from 'zod';
import { renderRunInputSchema } from '../../validation/render-run-input.js';
import { rendererInputSchema } from '../../validation/renderer-input.js';

// The renderers' part of the OpenAPI document (openapi.ts spreads it in): the renderers themselves and
// rendering an experiment's plan on them, built from the schemas the routes validate with.

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const idParameter = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }];

const inputRef = {
  type: 'object',
  properties: {
    node: { type: 'string' },
    classType: { type: 'string' },
    input: { type: 'string' },
    value: { type: ['string', 'number'] },
  },
};

export const rendererOpenApiPaths = {
  '/renderers': {
    get: {
      summary: 'The ComfyUI and AUTOMATIC1111/Forge servers sweetspot renders on',
      responses: { '200': { description: 'Renderers', content: { 'application/json': { schema: { type: 'object', properties: { renderers: { type: 'array', items: { $ref: '#/components/schemas/Renderer' } } } } } } } },
    },
    post: {
      summary:
        'Add a renderer by kind and URL (http or https). It must answer: ComfyUI is asked for /system_stats (its device name becomes `hardware`), ' +
        'A1111/Forge (started with --api) for /sdapi/v1/options. ComfyUI needs `workflow`, the API-format JSON of Workflow → Export (API); ' +
        'the answer shows where its steps, seed, sampler, guidance, size, checkpoint and prompts were found. Needs the token when one is set.',
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/RendererInput' } } } },
      responses: {
        '201': { description: 'The renderer', content: { 'application/json': { schema: { $ref: '#/components/schemas/Renderer' } } } },
        '400': error('Not a JSON object'),
        '422': error('A bad field: a URL that is not http(s), a renderer that cannot be reached (field url), a workflow without a sampler or not in the API format (field workflow)'),
      },
    },
  },
  '/renderers/{id}': {
    parameters: idParameter,
    get: { summary: 'One renderer', responses: { '200': { description: 'The renderer', content: { 'application/json': { schema: { $ref: '#/components/schemas/Renderer' } } } }, '404': error('No such renderer') } },
    delete: { summary: 'Remove a renderer (its rendered runs stay)', responses: { '204': { description: 'Removed' }, '404': error('No such renderer') } },
  },
};

const experimentId = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }];
const renderAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object', properties: { render: { $ref: '#/components/schemas/RenderStatus' } } } } },
});

export const renderRunOpenApiPaths = {
  '/experiments/{id}/run': {
    parameters: experimentId,
    post: {
      summary:
        'Render the plan on the given renderers, in the background: each render is queued with its steps, seed and prompt, ' +
        "timed (the renderer's own time where it reports one, else wall time), stored like an uploaded image into its planned run; faults are retried, then marked failed. " +
        'Mode "grid" renders every planned run without an image. Mode "adaptive" renders a coarse first round (3 step counts over the plan\'s range inside the model\'s usable range × the plan\'s seeds and prompts), ' +
        'analyses the experiment on `metric` (default ssim_to_reference), and queues the step counts "what to test next" names, round after round, until `target` is met: ' +
        'a bounded 90% interval of at most ±halfWidth steps, maxRenders renders, or maxMinutes of render time (at least one is required); it also stops when the analysis asks for nothing more. ' +
        'On metric "score" it waits after each round until every new render has a score. `render.stopReason` says why it stopped.',
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/RenderRunInput' } } } },
      responses: {
        '202': { description: '`{ jobId, render }`: the job started', content: { 'application/json': { schema: { type: 'object', properties: { jobId: { type: 'integer' }, render: { $ref: '#/components/schemas/RenderStatus' } } } } } },
        '400': error('Not a JSON object'),
        '404': error('No such experiment'),
        '409': error('A job of this experiment is running or paused, or every planned run already has its image'),
        '422': error('A bad field (an unknown renderer, an adaptive run without a target)'),
      },
    },
  },
  '/experiments/{id}/render': { parameters: experimentId, get: { summary: "The progress of the experiment's latest render job (state idle when it has none)", responses: { '200': renderAnswer('The progress') } } },
  '/experiments/{id}/pause': { parameters: experimentId, post: { summary: 'Pause the render job: the render in flight is cancelled on its renderer and stays to do', responses: { '200': renderAnswer('Paused'), '409': error('No running job') } } },
  '/experiments/{id}/resume': { parameters: experimentId, post: { summary: 'Resume a paused or failed job: failed renders get a new round of attempts; stored ones are never rendered again', responses: { '202': renderAnswer('Running again'), '409': error('The job is done or cancelled') } } },
  '/experiments/{id}/cancel': { parameters: experimentId, post: { summary: 'Cancel the render job for good; what was stored stays', responses: { '200': renderAnswer('Cancelled'), '409': error('Nothing to cancel') } } },
};

/** The renderer schemas of the OpenAPI document (built with it, at its first request). */
export const rendererOpenApiSchemas = () => ({
  RendererInput: (() => {
    const json = z.toJSONSchema(rendererInputSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete json.$schema;
    return json;
  })(),
  RenderRunInput: (() => {
    const json = z.toJSONSchema(renderRunInputSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete json.$schema;
    return json;
  })(),
  RenderStatus: {
    type: 'object',
    required: ['state', 'done', 'total', 'failed', 'secondsSpent', 'secondsLeft', 'stopReason', 'mode', 'round', 'waitingForRatings'],
    properties: {
      state: { type: 'string', enum: ['idle', 'running', 'paused', 'done', 'failed', 'cancelled'], description: 'an adaptive job waiting for human scores shows as paused (see waitingForRatings)' },
      done: { type: 'integer' },
      total: { type: 'integer' },
      failed: { type: 'integer' },
      secondsSpent: { type: 'number', description: 'render time of the stored renders' },
      secondsLeft: { type: ['number', 'null'], description: 'seconds per step so far × steps still to render, shared by the renderers; null before the first render' },
      stopReason: { type: ['string', 'null'], description: 'why the job stopped or waits, in words (e.g. "Target met: …", "Render budget spent: …", "Waiting for ratings: …")' },
      mode: { type: ['string', 'null'], enum: ['grid', 'adaptive', null] },
      round: { type: 'integer', description: 'the latest round queued (1 for grid jobs; 0 when idle)' },
      waitingForRatings: { type: ['integer', 'null'], description: 'adaptive jobs on metric "score": rendered runs still without a score while the job waits; null otherwise' },
    },
  },
  Renderer: {
    type: 'object',
    required: ['id', 'kind', 'url', 'name', 'hardware', 'createdAt'],
    properties: {
      id: { type: 'integer' },
      kind: { type: 'string', enum: ['comfyui', 'a1111'] },
      url: { type: 'string' },
      name: { type: 'string' },
      hardware: { type: ['string', 'null'], description: "the device name the renderer reported (ComfyUI's /system_stats); null when its API names none (A1111)" },
      mapping: {
        type: 'object',
        description: 'ComfyUI only: where each setting was found in the workflow (null when absent); notes say what was chosen where there was a choice',
        properties: {
          sampler: { type: 'object', properties: { node: { type: 'string' }, classType: { type: 'string' } } },
          steps: inputRef,
          ...Object.fromEntries(['seed', 'samplerName', 'guidance', 'width', 'height', 'checkpoint', 'prompt', 'negativePrompt'].map((k) => [k, { oneOf: [inputRef, { type: 'null' }] }])),
          notes: { type: 'array', items: { type: 'string' } },
        },
      },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
});
