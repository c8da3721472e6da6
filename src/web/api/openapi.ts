import type { RequestHandler } from 'express';
import { z } from 'zod';
import { adHocAnalysisSchema, analysisQueryFields } from '../../validation/analysis-query.js';
import { modelInputSchema, modelPatchSchema } from '../../validation/model-input.js';
import { runBatchSchema, runInputSchema, runPatchSchema } from '../../validation/run-input.js';
import { runQueryFields } from '../../validation/run-query.js';

// The OpenAPI document is built from the same zod schemas the routes validate with, so the two
// cannot drift apart.

function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

const errorResponse = {
  description: 'Bad input: every bad field is named in details',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const notFound = { description: 'No such id', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const json = (ref: string, description: string) => ({ description, content: { 'application/json': { schema: { $ref: ref } } } });

function queryParameters(schema: z.ZodObject): unknown[] {
  const props = (schemaOf(schema).properties ?? {}) as Record<string, unknown>;
  return Object.entries(props).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
}

export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'sweetspot API',
      version: '1',
      description:
        'Log image-generation test renders and find, per model, the step count where more steps stop paying off. ' +
        'When the server has SWEETSPOT_TOKEN set, writes need `Authorization: Bearer <token>`.',
    },
    servers: [{ url: '/api/v1' }],
    paths: {
      '/runs': {
        get: {
          summary: 'List runs (filters, sort, keyset pagination by cursor)',
          parameters: queryParameters(runQueryFields),
          responses: { '200': json('#/components/schemas/RunPage', 'A page of runs'), '422': errorResponse },
        },
        post: {
          summary: 'Log one run, or an array of up to 10,000 runs in one transaction (all or none)',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { oneOf: [{ $ref: '#/components/schemas/RunInput' }, { $ref: '#/components/schemas/RunBatch' }] },
              },
            },
          },
          responses: {
            '201': {
              description: 'The stored run, or `{ created, ids }` for a batch',
              content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Run' }, { $ref: '#/components/schemas/BatchResult' }] } } },
            },
            '400': errorResponse,
            '422': errorResponse,
          },
        },
      },
      '/runs/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        get: { summary: 'One run', responses: { '200': json('#/components/schemas/Run', 'The run'), '404': notFound } },
        patch: {
          summary: 'Change some fields of a run',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/RunPatch' } } } },
          responses: { '200': json('#/components/schemas/Run', 'The changed run'), '404': notFound, '422': errorResponse },
        },
        delete: { summary: 'Delete a run', responses: { '204': { description: 'Deleted' }, '404': notFound } },
      },
      '/models': {
        get: { summary: 'All models with their guide ranges and run counts', responses: { '200': json('#/components/schemas/ModelList', 'Models') } },
        post: {
          summary: 'Add a model',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ModelInput' } } } },
          responses: { '201': json('#/components/schemas/Model', 'The new model'), '409': errorResponse, '422': errorResponse },
        },
      },
      '/models/{slug}': {
        parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }],
        get: { summary: 'One model', responses: { '200': json('#/components/schemas/Model', 'The model'), '404': notFound } },
        patch: {
          summary: 'Change a model (name, notes, guide range)',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ModelPatch' } } } },
          responses: { '200': json('#/components/schemas/Model', 'The changed model'), '404': notFound, '422': errorResponse },
        },
      },
      '/models/{slug}/analysis': {
        parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          summary: 'Where quality gains flatten out: the sweet spot with its 90% interval, the fitted curve, recommendations, durations, waste, warnings',
          parameters: queryParameters(analysisQueryFields),
          responses: { '200': json('#/components/schemas/Analysis', 'The analysis'), '404': notFound, '422': errorResponse },
        },
      },
      '/models/{slug}/history': {
        parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          summary: 'The sweet spot and its interval over time (one snapshot each time the inputs changed)',
          parameters: queryParameters(analysisQueryFields),
          responses: { '200': { description: '`{ history: [{ at, steps, intervalLow, intervalHigh, confidence, runs, rule, delta }] }`' }, '404': notFound },
        },
      },
      '/analyze': {
        post: {
          summary: 'Analyse points sent in the body (nothing is stored)',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/AnalyzeRequest' } } } },
          responses: { '200': json('#/components/schemas/Analysis', 'The analysis'), '422': errorResponse },
        },
      },
      ...Object.fromEntries(
        (['md', 'json', 'csv'] as const).map((ext) => [
          `/export/settings.${ext}`,
          {
            get: {
              summary: `Documented settings per model (draft / standard / final with quality and time, per use case where the data allow) as ${ext.toUpperCase()}`,
              parameters: queryParameters(analysisQueryFields),
              responses: { '200': { description: `The settings sheet (${ext})` }, '422': errorResponse },
            },
          },
        ]),
      ),
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document' } } } },
    },
    components: {
      schemas: {
        RunInput: schemaOf(runInputSchema),
        AnalyzeRequest: schemaOf(adHocAnalysisSchema),
        Analysis: {
          type: 'object',
          description:
            'status (ok | insufficient-data | no-plateau | flat) and message; sweetSpot { steps, interval: [low, high] | null, confidence, reason, extrapolated }; ' +
            'kneedle { steps }; fit { model, r2, params }; recommendations { draft, standard, final } each { steps, quality, durationMs }; ' +
            'duration { overheadMs, perStepMs, r2 } | null; nextSteps { kind, steps, message }; paired; levels; curve; marginalGain; qualityPerSecond; waste; warnings',
          required: ['status', 'message', 'sweetSpot', 'kneedle', 'fit', 'recommendations', 'duration', 'nextSteps', 'paired'],
          properties: {
            status: { type: 'string', enum: ['ok', 'insufficient-data', 'no-plateau', 'flat'] },
            message: { type: 'string' },
            paired: { type: 'boolean' },
            sweetSpot: {
              type: ['object', 'null'],
              properties: {
                steps: { type: 'integer' },
                interval: { type: ['array', 'null'], items: { type: 'integer' } },
                confidence: { type: 'string', enum: ['high', 'medium', 'low', 'insufficient'] },
                reason: { type: 'string' },
                extrapolated: { type: 'boolean' },
              },
            },
            kneedle: { type: 'object', properties: { steps: { type: ['integer', 'null'] } } },
            fit: { type: ['object', 'null'], properties: { model: { type: 'string', enum: ['saturating', 'isotonic'] }, r2: { type: 'number' } } },
            recommendations: { type: ['object', 'null'] },
            duration: { type: ['object', 'null'], properties: { overheadMs: { type: 'number' }, perStepMs: { type: 'number' }, r2: { type: 'number' } } },
            nextSteps: { type: 'object', properties: { steps: { type: 'array', items: { type: 'integer' } }, message: { type: 'string' } } },
          },
        },
        RunBatch: schemaOf(runBatchSchema),
        RunPatch: schemaOf(runPatchSchema),
        ModelInput: schemaOf(modelInputSchema),
        ModelPatch: schemaOf(modelPatchSchema),
        Run: {
          type: 'object',
          required: ['id', 'model', 'steps', 'tags', 'source', 'createdAt', 'updatedAt'],
          properties: {
            id: { type: 'integer' },
            model: { type: 'string', description: 'model slug' },
            modelName: { type: 'string' },
            steps: { type: 'integer' },
            durationMs: { type: ['number', 'null'] },
            score: { type: ['number', 'null'] },
            seed: { type: ['string', 'null'], description: 'decimal text, kept exact' },
            prompt: { type: ['string', 'null'] },
            negativePrompt: { type: ['string', 'null'] },
            sampler: { type: ['string', 'null'] },
            guidance: { type: ['number', 'null'] },
            width: { type: ['integer', 'null'] },
            height: { type: ['integer', 'null'] },
            hardware: { type: ['string', 'null'] },
            useCase: { type: ['string', 'null'] },
            phase: { type: ['string', 'null'] },
            tags: { type: 'array', items: { type: 'string' } },
            notes: { type: ['string', 'null'] },
            experimentId: { type: ['integer', 'null'] },
            source: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
          },
        },
        RunPage: {
          type: 'object',
          properties: {
            runs: { type: 'array', items: { $ref: '#/components/schemas/Run' } },
            nextCursor: { type: ['string', 'null'] },
            total: { type: 'integer' },
          },
        },
        BatchResult: {
          type: 'object',
          properties: { created: { type: 'integer' }, ids: { type: 'array', items: { type: 'integer' } } },
        },
        Model: {
          type: 'object',
          properties: {
            slug: { type: 'string' },
            name: { type: 'string' },
            notes: { type: 'string' },
            guide: {
              type: 'object',
              properties: Object.fromEntries(
                ['minSteps', 'recommendedLow', 'recommendedHigh', 'maxSteps', 'sweetSpot'].map((k) => [k, { type: ['integer', 'null'] }]),
              ),
            },
            runs: { type: 'integer' },
            scoredRuns: { type: 'integer' },
            stepLevels: { type: 'integer' },
          },
        },
        ModelList: { type: 'object', properties: { models: { type: 'array', items: { $ref: '#/components/schemas/Model' } } } },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'details'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                details: {
                  type: 'array',
                  items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
    },
  };
}

export function openApiRoute(): RequestHandler {
  const document = buildOpenApiDocument();
  return function serveOpenApi(_req, res) {
    res.json(document);
  };
}
