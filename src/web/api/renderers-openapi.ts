import { z } from 'zod';
import { rendererInputSchema } from '../../validation/renderer-input.js';

// The renderers' part of the OpenAPI document (openapi.ts spreads it in), built from the schema the
// route validates with.

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

export const rendererOpenApiSchemas = {
  RendererInput: (() => {
    const json = z.toJSONSchema(rendererInputSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete json.$schema;
    return json;
  })(),
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
};
