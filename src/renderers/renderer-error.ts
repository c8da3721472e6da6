/**
 * What went wrong while talking to a renderer, in words a user can act on:
 * - `unreachable`: the connection was refused, reset or never made (the renderer is down or the URL is wrong);
 * - `timeout`: no answer in time;
 * - `rejected`: the renderer refused the request itself (ComfyUI's `node_errors`, an A1111 4xx);
 * - `execution`: the render started and failed (an error in ComfyUI's history, an A1111 500);
 * - `out-of-memory`: the render failed because the GPU ran out of memory;
 * - `bad-image`: the image that came back cannot be read as PNG, JPEG or WebP;
 * - `bad-answer`: the answer is not what the generator's API returns (not JSON, missing fields);
 * - `too-large`: the answer is larger than the byte cap;
 * - `redirect`: the renderer sent us to another address, which is never followed;
 * - `cancelled`: the render was cancelled on our side.
 */
export type RendererErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'rejected'
  | 'execution'
  | 'out-of-memory'
  | 'bad-image'
  | 'bad-answer'
  | 'too-large'
  | 'redirect'
  | 'cancelled';

/** Faults that may pass when the same render is tried again (a restart, a freed GPU, a lost packet). */
const RETRYABLE: ReadonlySet<RendererErrorCode> = new Set(['unreachable', 'timeout', 'execution', 'out-of-memory', 'bad-image']);

/** A renderer fault, typed by `code`; `message` names the renderer's URL and what it said. */
export class RendererError extends Error {
  override name = 'RendererError';
  constructor(
    readonly code: RendererErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Whether trying the same render again can succeed. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}
