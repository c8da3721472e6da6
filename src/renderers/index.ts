import { A1111Client } from './a1111-client.js';
import { ComfyUiClient } from './comfyui-client.js';
import type { ApiWorkflow } from './comfyui-workflow-mapping.js';
import type { ClientOptions, RendererClient, RendererKind } from './planned-render.js';

export { A1111Client } from './a1111-client.js';
export { ComfyUiClient, describeNodeErrors } from './comfyui-client.js';
export { mapWorkflow, parseApiWorkflow, patchWorkflow, WorkflowError, type ApiWorkflow, type WorkflowMapping, type InputRef } from './comfyui-workflow-mapping.js';
export { parseRendererUrl } from './renderer-url.js';
export { RendererError, type RendererErrorCode } from './renderer-error.js';
export { RENDERER_KINDS, DEFAULT_CLIENT_OPTIONS, type PlannedRender, type RenderResult, type RendererClient, type RendererKind, type ClientOptions } from './planned-render.js';

/** The client of a configured renderer: ComfyUI needs its API-format workflow, A1111 none. */
export function createRendererClient(renderer: { kind: RendererKind; url: string; workflow: ApiWorkflow | null }, options: Partial<ClientOptions> = {}): RendererClient {
  if (renderer.kind === 'a1111') return new A1111Client(renderer.url, options);
  if (renderer.workflow === null) throw new Error('A ComfyUI renderer needs its workflow');
  return new ComfyUiClient(renderer.url, renderer.workflow, options);
}
