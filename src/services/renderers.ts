import type { Db } from '../db/connect.js';
import type { RendererRow } from '../db/renderer-table.js';
import { parseJsonKeepingBigIntegers } from '../images/parse-json-keeping-big-integers.js';
import {
  createRendererClient,
  mapWorkflow,
  parseApiWorkflow,
  parseRendererUrl,
  RendererError,
  WorkflowError,
  type ApiWorkflow,
  type ClientOptions,
  type RendererClient,
  type RendererKind,
  type WorkflowMapping,
} from '../renderers/index.js';
import { deleteRendererById, findRendererById, insertRenderer, listRendererRows } from '../store/renderers.js';
import type { RendererInput } from '../validation/renderer-input.js';
import { MAX_WORKFLOW_CHARS } from '../validation/renderer-input.js';
import { InputError, NotFoundError } from './errors.js';

/** A renderer as the API, the page and the CLI show it. */
export interface Renderer {
  id: number;
  kind: RendererKind;
  url: string;
  name: string;
  /** The device name the renderer reported when it was added (ComfyUI); null when its API names none (A1111). */
  hardware: string | null;
  /** ComfyUI: where the steps, seed, sampler, guidance, size, checkpoint and prompts were found in the workflow. */
  mapping?: WorkflowMapping;
  createdAt: string;
}

const KIND_LABEL: Record<RendererKind, string> = { comfyui: 'ComfyUI', a1111: 'A1111' };

/** How long adding a renderer waits for it to answer before calling it unreachable. */
const PROBE_TIMEOUT_MS = 10_000;

export function rendererRowToRenderer(row: RendererRow): Renderer {
  const renderer: Renderer = { id: row.id, kind: row.kind as RendererKind, url: row.url, name: row.name, hardware: row.hardware, createdAt: row.created_at };
  if (row.mapping !== null) renderer.mapping = JSON.parse(row.mapping) as WorkflowMapping;
  return renderer;
}

/** The workflow as an object: sent as JSON, or as JSON text (a form's textarea, a file). */
function workflowObject(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.length > MAX_WORKFLOW_CHARS) throw new InputError('The workflow is too large', [{ field: 'workflow', message: `workflow must be at most ${MAX_WORKFLOW_CHARS} characters of JSON` }]);
  const parsed = parseJsonKeepingBigIntegers(value);
  if (parsed === undefined) throw new InputError('The workflow is not JSON', [{ field: 'workflow', message: 'workflow is not JSON: send the file ComfyUI writes with Workflow → Export (API)' }]);
  return parsed;
}

/** The checked workflow and its mapping, or an InputError naming the workflow's problem. */
function checkedWorkflow(value: unknown): { workflow: ApiWorkflow; mapping: WorkflowMapping } {
  try {
    const workflow = parseApiWorkflow(workflowObject(value));
    return { workflow, mapping: mapWorkflow(workflow) };
  } catch (err) {
    if (err instanceof WorkflowError) throw new InputError(`The workflow cannot be used: ${err.message}`, [{ field: 'workflow', message: err.message }]);
    throw err;
  }
}

/**
 * Adds a renderer once it has answered: the URL is checked (http or https, no credentials), a ComfyUI
 * renderer's workflow is mapped (no sampler → refused), then the renderer is asked for its device
 * name (ComfyUI's /system_stats; A1111's /sdapi/v1/options, which names none). A renderer that cannot
 * be reached is refused with what happened; nothing is stored unless everything passed.
 */
export async function addRenderer(db: Db, input: RendererInput, clientOptions: Partial<ClientOptions> = {}): Promise<Renderer> {
  const parsedUrl = parseRendererUrl(input.url);
  if ('problem' in parsedUrl) throw new InputError(`The renderer URL ${parsedUrl.problem}`, [{ field: 'url', message: `url ${parsedUrl.problem}` }]);
  const url = parsedUrl.url;
  let workflow: ApiWorkflow | null = null;
  let mapping: WorkflowMapping | null = null;
  if (input.kind === 'comfyui') {
    if (input.workflow === undefined || input.workflow === null) {
      throw new InputError('A ComfyUI renderer needs its workflow', [{ field: 'workflow', message: 'workflow is required for ComfyUI: the API-format JSON from Workflow → Export (API)' }]);
    }
    ({ workflow, mapping } = checkedWorkflow(input.workflow));
  } else if (input.workflow !== undefined && input.workflow !== null) {
    throw new InputError('An A1111 renderer takes no workflow', [{ field: 'workflow', message: 'workflow is only for ComfyUI renderers; A1111/Forge takes the settings of each render' }]);
  }
  const client = createRendererClient({ kind: input.kind, url, workflow }, { requestTimeoutMs: PROBE_TIMEOUT_MS, ...clientOptions });
  let hardware: string | null;
  try {
    hardware = await client.readHardware();
  } catch (err) {
    if (err instanceof RendererError) {
      throw new InputError(`The renderer at ${url} cannot be used: ${err.message}`, [{ field: 'url', message: `${KIND_LABEL[input.kind]} at ${url} did not answer as expected: ${err.message}` }]);
    }
    throw err;
  }
  const name = input.name?.trim() || `${KIND_LABEL[input.kind]} at ${new URL(url).host}`;
  const id = await insertRenderer(db, {
    kind: input.kind,
    url,
    name: name.slice(0, 100),
    hardware,
    workflow: workflow === null ? null : JSON.stringify(workflow),
    mapping: mapping === null ? null : JSON.stringify(mapping),
    created_at: new Date().toISOString(),
  });
  return getRenderer(db, id);
}

export async function listRenderers(db: Db): Promise<Renderer[]> {
  return (await listRendererRows(db)).map(rendererRowToRenderer);
}

export async function getRenderer(db: Db, id: number): Promise<Renderer> {
  const row = await findRendererById(db, id);
  if (!row) throw new NotFoundError(`There is no renderer ${id}`);
  return rendererRowToRenderer(row);
}

export async function removeRenderer(db: Db, id: number): Promise<void> {
  if (!(await deleteRendererById(db, id))) throw new NotFoundError(`There is no renderer ${id}`);
}

/** The client of a stored renderer: its URL and workflow come from the database, never from a request. */
export async function clientForRenderer(db: Db, id: number, clientOptions: Partial<ClientOptions> = {}): Promise<RendererClient> {
  const row = await findRendererById(db, id);
  if (!row) throw new NotFoundError(`There is no renderer ${id}`);
  const workflow = row.workflow === null ? null : parseApiWorkflow(parseJsonKeepingBigIntegers(row.workflow));
  return createRendererClient({ kind: row.kind as RendererKind, url: row.url, workflow }, clientOptions);
}
