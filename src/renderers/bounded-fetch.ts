import { RendererError } from './renderer-error.js';

/** How one request to a renderer is bounded. */
export interface RequestBounds {
  /** Milliseconds for the whole exchange (connect, answer, body). */
  timeoutMs: number;
  /** Bytes the answer may have; a longer answer is cut off and refused. */
  maxBytes: number;
  /** Cancels the request from outside (a cancelled render). */
  signal?: AbortSignal;
}

export interface BoundedAnswer {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  /** The URL that answered (after same-origin redirects). */
  url: string;
}

/** Same-origin redirects followed at most (a proxy adding a slash); another origin is never followed. */
const MAX_REDIRECTS = 3;

/**
 * One HTTP request to a renderer, with everything an untrusted answer needs: a time limit, a byte cap
 * checked on the declared length and again while reading, and redirects followed only within the same
 * origin (scheme, host and port), so a renderer cannot send sweetspot to another address. Faults become
 * RendererErrors (`unreachable`, `timeout`, `too-large`, `redirect`, `cancelled`) naming the URL.
 */
export async function boundedFetch(url: string, init: { method: 'GET' | 'POST'; body?: string }, bounds: RequestBounds): Promise<BoundedAnswer> {
  const timeout = AbortSignal.timeout(bounds.timeoutMs);
  const signal = bounds.signal ? AbortSignal.any([timeout, bounds.signal]) : timeout;
  const origin = new URL(url).origin;
  let current = url;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(current, {
        method: init.method,
        body: init.body,
        headers: init.body === undefined ? { accept: 'application/json, image/*' } : { 'content-type': 'application/json', accept: 'application/json' },
        redirect: 'manual',
        signal,
      });
    } catch (err) {
      throw requestFault(err, current, bounds, timeout);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel().catch(() => undefined);
      const target = new URL(response.headers.get('location')!, current);
      if (target.origin !== origin) {
        throw new RendererError('redirect', `${current} redirected to ${target.origin}, another address; sweetspot follows no redirect away from the renderer's URL`);
      }
      if (hop >= MAX_REDIRECTS) throw new RendererError('redirect', `${url} redirected more than ${MAX_REDIRECTS} times`);
      current = target.toString();
      continue;
    }
    const bytes = await readCapped(response, current, bounds, timeout);
    return { status: response.status, headers: response.headers, bytes, url: current };
  }
}

/** The body, refused as soon as it passes the cap (by its declared length or while it streams). */
async function readCapped(response: Response, url: string, bounds: RequestBounds, timeout: AbortSignal): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > bounds.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, bounds.maxBytes);
  }
  if (response.body === null) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > bounds.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(url, bounds.maxBytes);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof RendererError) throw err;
    throw requestFault(err, url, bounds, timeout);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(url: string, maxBytes: number): RendererError {
  return new RendererError('too-large', `${url} answered with more than ${formatBytes(maxBytes)}, the limit; the answer was cut off`);
}

export function formatBytes(bytes: number): string {
  return bytes >= 1048576 ? `${Math.round((bytes / 1048576) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** A failed exchange as a RendererError: which of our signals fired, else the socket's error code. */
function requestFault(err: unknown, url: string, bounds: RequestBounds, timeout: AbortSignal): RendererError {
  if (bounds.signal?.aborted) return new RendererError('cancelled', `The request to ${url} was cancelled`, { cause: err });
  if (timeout.aborted) return new RendererError('timeout', `${url} did not answer within ${Math.round(bounds.timeoutMs / 100) / 10} s`, { cause: err });
  const code = socketErrorCode(err);
  const why =
    code === 'ECONNREFUSED'
      ? 'refused the connection (is the renderer running, and listening on that address?)'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'has a host name that does not resolve'
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE'
          ? 'closed the connection in the middle of an answer (did the renderer stop?)'
          : `could not be reached (${code ?? (err instanceof Error ? err.message : String(err))})`;
  return new RendererError('unreachable', `${url} ${why}`, { cause: err });
}

/** The system error code under undici's "fetch failed" (its cause, or the cause's cause). */
function socketErrorCode(err: unknown): string | null {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** The body as JSON, or a `bad-answer` naming the URL. */
export function parseJsonAnswer(answer: BoundedAnswer, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(answer.bytes)) as unknown;
  } catch {
    throw new RendererError('bad-answer', `${answer.url} answered ${what} with something that is not JSON (HTTP ${answer.status})`);
  }
}
