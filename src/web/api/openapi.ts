import type { RequestHandler } from 'express';
import { z } from 'zod';
import { adHocAnalysisSchema, analysisQueryFields } from '../../validation/analysis-query.js';
import { modelInputSchema, modelPatchSchema } from '../../validation/model-input.js';
import { runBatchSchema, runInputSchema, runPatchSchema } from '../../validation/run-input.js';
import { runQueryFields } from '../../validation/run-query.js';
import { runExportQueryFields } from '../../validation/run-export-query.js';
import { RUN_CSV_HEADER } from '../../services/run-csv-columns.js';
import { PLAN_CSV_COLUMNS } from '../../services/experiments.js';
import { experimentInputSchema, judgementInputSchema } from '../../validation/experiment-input.js';
import { renderRunOpenApiPaths, rendererOpenApiPaths, rendererOpenApiSchemas } from './renderers-openapi.js';

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
      '/import': {
        post: {
          summary:
            'Import runs from a CSV, JSON or NDJSON file sent as the raw body (format by Content-Type), streamed and all or nothing: ' +
            'one bad row rejects the file with every bad row listed (first 100); the same file twice is refused unless force=1',
          parameters: [
            { name: 'filename', in: 'query', required: false, schema: { type: 'string', maxLength: 255 }, description: 'the file name, kept with the import' },
            { name: 'force', in: 'query', required: false, schema: { type: 'string', enum: ['1', '0', 'true', 'false'] }, description: 'import even when the same file (sha256) was imported before' },
          ],
          requestBody: {
            required: true,
            content: {
              'text/csv': { schema: { type: 'string', description: `columns ${RUN_CSV_HEADER.join(',')} (header matched case-insensitively; model and steps required)` } },
              'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/RunBatch' }, { type: 'object', properties: { runs: { $ref: '#/components/schemas/RunBatch' } } }] } },
              'application/x-ndjson': { schema: { type: 'string', description: 'one RunInput object per line' } },
            },
          },
          responses: {
            '201': json('#/components/schemas/ImportResult', 'Every row was imported'),
            '409': { description: 'The same file was imported before (code already_imported); nothing was imported', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            '415': { description: 'Another Content-Type', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            '422': {
              description: 'Rejected (code import_rejected), nothing was imported: details name each bad row as `line N: column` with `line` and `column` keys',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          },
        },
      },
      ...Object.fromEntries(
        (['csv', 'json', 'ndjson'] as const).map((ext) => [
          `/export/runs.${ext}`,
          {
            get: {
              summary: `The runs matching the filters (those of GET /runs; no paging) as ${ext.toUpperCase()}, streamed as an attachment; imports back as it is`,
              parameters: queryParameters(runExportQueryFields),
              responses: {
                '200': { description: `The runs (${ext})`, content: { [{ csv: 'text/csv', json: 'application/json', ndjson: 'application/x-ndjson' }[ext]]: { schema: { type: 'string' } } } },
                '404': notFound,
                '422': errorResponse,
              },
            },
          },
        ]),
      ),
      '/experiments': {
        get: {
          summary: 'Planned sweeps, newest first, each with its progress (planned / filled renders); archived ones only with archived=true',
          parameters: [{ name: 'archived', in: 'query', schema: { type: 'boolean' }, description: 'list the archived experiments instead of the current ones' }],
          responses: { '200': json('#/components/schemas/ExperimentList', 'Experiments'), '422': errorResponse },
        },
        post: {
          summary:
            'Plan a sweep: every step count × seed × prompt becomes a planned run (no time or score yet, source "plan"), all in one transaction. ' +
            'steps is a step list as X/Y plots write it ("10,20,30", "10-50 (+5)", "10-50 [9]") or an array; seeds is a list of seeds (["42", "7"]) or one seed, ' +
            'randomSeeds how many random seeds to draw instead (a bare number in seeds is refused)',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ExperimentInput' } } } },
          responses: { '201': json('#/components/schemas/ExperimentDetail', 'The experiment with its planned runs (cells)'), '400': errorResponse, '422': errorResponse },
        },
      },
      '/experiments/preview': {
        post: {
          summary: 'What a plan would make, nothing stored: `{ renders, stepCounts, seeds, randomSeeds, prompts, totalSteps, time: { totalMs, total, hardware, basis } | null, timeMissing }`',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ExperimentInput' } } } },
          responses: { '200': { description: 'The preview' }, '400': errorResponse, '422': errorResponse },
        },
      },
      '/experiments/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        get: { summary: 'One experiment: its plan, progress and every cell', responses: { '200': json('#/components/schemas/ExperimentDetail', 'The experiment'), '404': notFound } },
        delete: {
          summary: 'Delete an experiment: its never-rendered planned runs are deleted, its rendered runs (a time, a score or an image) are kept as runs of their own unless keepRendered=false',
          parameters: [{ name: 'keepRendered', in: 'query', schema: { type: 'boolean', default: true } }],
          responses: { '204': { description: 'Deleted' }, '404': notFound, '422': errorResponse },
        },
      },
      ...Object.fromEntries(
        (['archive', 'unarchive'] as const).map((action) => [
          `/experiments/{id}/${action}`,
          {
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
            post: {
              summary: action === 'archive' ? 'Archive an experiment: out of the current list, its runs untouched' : 'Bring an archived experiment back',
              responses: { '200': { description: '`{ id, name, archivedAt }`' }, '404': notFound },
            },
          },
        ]),
      ),
      '/experiments/{id}/report': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        get: {
          summary: 'The experiment report: the sweet spot on each metric with values (score, preference, convergence, sharpness) side by side with their agreement, plateau evidence from "can\'t tell" answers, rater agreement',
          responses: { '200': { description: '`{ experiment, metrics: [{ metric, label, runs, status, message, sweetSpot }], agreements: [{ metrics, sentence, intervalsOverlap }], ratings: { judgements, ties, raters, agreement, plateau } }`' }, '404': notFound },
        },
      },
      ...Object.fromEntries(
        (['json', 'csv'] as const).map((ext) => [
          `/experiments/{id}/plan.${ext}`,
          {
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
            get: {
              summary:
                ext === 'json'
                  ? 'The plan for a render script: `{ experiment, patchUrl, runs: [{ runId, model, steps, seed, prompt, negativePrompt, sampler, guidance, width, height, hardware, useCase, phase, durationMs, score, done }] }`; PATCH /runs/{runId} with the result'
                  : `The plan as CSV, one row per planned render: ${PLAN_CSV_COLUMNS.join(',')}`,
              responses: { '200': { description: `The plan (${ext}), as an attachment`, content: { [ext === 'json' ? 'application/json' : 'text/csv']: { schema: { type: 'string' } } } }, '404': notFound },
            },
          },
        ]),
      ),
      '/judgements': {
        get: {
          summary: 'Blind pairwise judgements, oldest first (optionally of one experiment or model)',
          parameters: [
            { name: 'experiment', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
            { name: 'model', in: 'query', required: false, schema: { type: 'string' } },
          ],
          responses: { '200': { description: '`{ judgements: [{ id, runA, runB, outcome, rater, createdAt }] }`' }, '404': notFound, '422': errorResponse },
        },
        post: {
          summary:
            'Store a blind judgement between two renders of the same model, prompt and seed at different step counts ("tie" = can\'t tell); ' +
            'refits the Bradley–Terry preference of their block and stores each judged run\'s log-strength as its `preference` metric',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/JudgementInput' } } } },
          responses: { '201': { description: '`{ judgement, preference: [{ runId, value }] }`' }, '400': errorResponse, '422': errorResponse },
        },
      },
      '/images': {
        post: {
          summary:
            'Upload render images (PNG, JPEG, WebP; checked by their bytes): each is stored content-addressed with a thumbnail and, when its embedded ' +
            'settings name steps and a model, becomes a run (source png; the model found through the model names, or created). ' +
            'Limits: 50 MB per file, 500 files, 100 megapixels, text chunks capped (bombs rejected before decoding).',
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } }, required: ['files'] },
              },
            },
          },
          responses: {
            '200': json('#/components/schemas/ImageUploadResults', 'Every file was stored (or already was)'),
            '207': json('#/components/schemas/ImageUploadResults', 'Some files were rejected: see each result'),
            '400': { description: 'Not multipart, or no file in the field files', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          },
        },
      },
      '/images/{sha256}': {
        parameters: [{ name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-f0-9]{64}$' } }],
        get: {
          summary: 'A stored image: size, type, parsed generation settings, its run, and the URLs of the file and thumbnail',
          responses: { '200': { description: 'The image' }, '404': notFound },
        },
      },
      '/images/{sha256}/link': {
        parameters: [{ name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-f0-9]{64}$' } }],
        post: {
          summary:
            'Move a render stored before its sweep was planned into the planned run its settings match (same model, steps, seed, prompt): ' +
            'the image, time, score and image metrics move and the upload\'s own run is deleted. `{ runId, experimentId, removedRunId }`',
          responses: { '200': { description: 'Linked' }, '404': notFound, '409': errorResponse },
        },
      },
      ...rendererOpenApiPaths,
      ...renderRunOpenApiPaths,
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document' } } } },
    },
    components: {
      schemas: {
        RunInput: schemaOf(runInputSchema),
        ...rendererOpenApiSchemas(),
        ExperimentInput: schemaOf(experimentInputSchema),
        JudgementInput: schemaOf(judgementInputSchema),
        Experiment: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            model: { type: 'string', description: 'model slug' },
            modelName: { type: 'string' },
            notes: { type: 'string' },
            plan: {
              type: 'object',
              properties: {
                stepList: { type: 'string' },
                steps: { type: 'array', items: { type: 'integer' } },
                seeds: { type: 'array', items: { type: 'string' } },
                prompts: { type: 'array', items: { type: 'string' } },
              },
            },
            progress: {
              type: 'object',
              properties: Object.fromEntries(['planned', 'filled', 'timed', 'scored', 'imaged'].map((k) => [k, { type: 'integer' }]).concat([['share', { type: 'number' }]])),
            },
            createdAt: { type: 'string', format: 'date-time' },
          },
        },
        ExperimentDetail: {
          allOf: [
            { $ref: '#/components/schemas/Experiment' },
            {
              type: 'object',
              properties: {
                cells: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      runId: { type: 'integer' },
                      steps: { type: 'integer' },
                      seed: { type: 'string' },
                      prompt: { type: 'string' },
                      promptIndex: { type: 'integer' },
                      seedIndex: { type: 'integer' },
                      durationMs: { type: ['number', 'null'] },
                      score: { type: ['number', 'null'] },
                      image: { type: ['object', 'null'], properties: { id: { type: 'integer' }, sha256: { type: 'string' } } },
                    },
                  },
                },
                render: { $ref: '#/components/schemas/RenderStatus' },
              },
            },
          ],
        },
        ExperimentList: { type: 'object', properties: { experiments: { type: 'array', items: { $ref: '#/components/schemas/Experiment' } } } },
        ImageUploadResults: {
          type: 'object',
          properties: {
            results: {
              type: 'array',
              description: 'One per file, in the order sent',
              items: {
                type: 'object',
                required: ['file', 'ok', 'status', 'imageId', 'sha256', 'runId', 'model', 'created', 'message'],
                properties: {
                  file: { type: 'string', description: 'the client file name (shown only)' },
                  ok: { type: 'boolean' },
                  status: { type: 'string', enum: ['created', 'incomplete', 'duplicate', 'rejected'], description: 'incomplete: stored, but its settings could not make a run (complete it on /images)' },
                  imageId: { type: ['integer', 'null'] },
                  sha256: { type: ['string', 'null'] },
                  runId: { type: ['integer', 'null'] },
                  model: { type: ['string', 'null'], description: 'model slug of the run' },
                  modelCreated: { type: 'boolean' },
                  created: { type: 'boolean', description: 'a new image was stored by this upload' },
                  message: { type: 'string' },
                  error: {
                    type: 'object',
                    properties: {
                      code: { type: 'string', enum: ['empty', 'too-large', 'unsupported-format', 'truncated', 'bad-crc', 'pixel-bomb', 'text-bomb', 'too-many-chunks', 'malformed', 'undecodable', 'too-many-files'] },
                      message: { type: 'string' },
                    },
                  },
                },
              },
            },
            stored: { type: 'integer' },
            runs: { type: 'integer' },
            incomplete: { type: 'integer' },
            duplicates: { type: 'integer' },
            rejected: { type: 'integer' },
          },
        },
        ImportResult: {
          type: 'object',
          properties: {
            import: {
              type: 'object',
              properties: {
                id: { type: 'integer' },
                filename: { type: ['string', 'null'] },
                format: { type: 'string', enum: ['csv', 'json', 'ndjson'] },
                rows: { type: 'integer' },
                sha256: { type: 'string' },
              },
            },
            created: { type: 'integer' },
          },
        },
        AnalyzeRequest: schemaOf(adHocAnalysisSchema),
        Analysis: {
          type: 'object',
          description:
            'status (ok | insufficient-data | no-plateau | flat | inconclusive) and message; sweetSpot { steps, interval: [low, high] | null, lowerBound, confidence, reason, extrapolated }; ' +
            'kneedle { steps }; fit { model (exponential | power | logistic | rise-fall | isotonic | unimodal), description, r2, params, noise, noiseDf, roundingFloor, lackOfFit { statistic, df, p } | null, candidates }; ' +
            'decline { peakSteps, drop } | null; tests { change, topRising, decline, detectableRise }; recommendations { draft, standard, final } each { steps, quality, durationMs }; ' +
            'duration { overheadMs, perStepMs, r2 } | null; nextSteps { kind, steps, message, suggestions [{ steps, runs, why, narrowing, renders, minutes }] }; paired; pairedReason; runUse { pairedRuns, unpairedRuns }; levels; curve; marginalGain; qualityPerSecond; waste; warnings',
          required: ['status', 'message', 'sweetSpot', 'kneedle', 'fit', 'recommendations', 'duration', 'nextSteps', 'paired'],
          properties: {
            status: { type: 'string', enum: ['ok', 'insufficient-data', 'no-plateau', 'flat', 'inconclusive'] },
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
            fit: {
              type: ['object', 'null'],
              properties: {
                model: { type: 'string', enum: ['exponential', 'power', 'logistic', 'rise-fall', 'isotonic', 'unimodal'] },
                r2: { type: 'number' },
                lackOfFit: { type: ['object', 'null'], properties: { statistic: { type: 'number' }, df: { type: 'integer' }, p: { type: 'number' } } },
              },
            },
            decline: { type: ['object', 'null'], properties: { peakSteps: { type: 'integer' }, drop: { type: 'number' } } },
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
  // Built at the first request, not at start-up: turning the zod schemas into JSON Schema takes a
  // noticeable part of the server's start, and most servers never serve this document.
  let document: Record<string, unknown> | undefined;
  return function serveOpenApi(_req, res) {
    document ??= buildOpenApiDocument();
    res.json(document);
  };
}
