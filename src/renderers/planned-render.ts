import type { RendererErrorCode } from './renderer-error.js';

/** The generator kinds sweetspot drives. */
export const RENDERER_KINDS = ['comfyui', 'a1111'] as const;
export type RendererKind = (typeof RENDERER_KINDS)[number];

/** One render of a plan, in sweetspot's terms; each client turns it into its generator's request. */
export interface PlannedRender {
  steps: number;
  /** Decimal text, kept exact (seeds reach 2^64). */
  seed: string;
  prompt: string | null;
  negativePrompt: string | null;
  /** A1111's sampler name ("Euler a"); a ComfyUI workflow keeps its own. */
  sampler: string | null;
  guidance: number | null;
  width: number | null;
  height: number | null;
  /** The checkpoint as the generator names it (A1111's `sd_model_checkpoint`); a ComfyUI workflow keeps its own. */
  checkpoint: string | null;
}

/**
 * What a finished render gives back. `durationMs` is the generator's own execution time when it
 * reports one (`timingSource: 'generator'`: ComfyUI's execution_start → execution_success timestamps,
 * A1111's X-Process-Time header), else the wall time of the exchange (`'wall'`).
 */
export interface RenderResult {
  bytes: Uint8Array;
  mime: string;
  durationMs: number;
  timingSource: 'generator' | 'wall';
  /** What the generator said about the render (untrusted, size-limited), kept with the run. */
  metadata: Record<string, unknown>;
}

/** The one interface the render queue drives, whatever the generator. */
export interface RendererClient {
  readonly kind: RendererKind;
  readonly url: string;
  /** Renders one planned render; a fault is a RendererError. `signal` cancels it (the generator is told to stop). */
  render(planned: PlannedRender, options?: { signal?: AbortSignal }): Promise<RenderResult>;
  /** The GPU (or device) name the generator reports, for the runs' `hardware`; null when its API tells none. */
  readHardware(): Promise<string | null>;
  /** Stops what the generator is rendering for us and drops what we queued. */
  cancel(): Promise<void>;
}

export interface ClientOptions {
  /** Bytes an answer may have (the image limit; A1111's base64 answers get a third more). */
  maxBytes: number;
  /** Milliseconds a single request may take (except A1111's txt2img, which lasts the whole render). */
  requestTimeoutMs: number;
  /** Milliseconds a whole render may take before it is given up. */
  renderTimeoutMs: number;
  /** Milliseconds between two looks at ComfyUI's history. */
  pollMs: number;
}

export const DEFAULT_CLIENT_OPTIONS: Readonly<ClientOptions> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  renderTimeoutMs: 30 * 60_000,
  pollMs: 50,
});

export type { RendererErrorCode };
