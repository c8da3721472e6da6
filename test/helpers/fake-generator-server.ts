import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sharp from 'sharp';
import { tEXt } from '../images/image-builders.js';
import { testPicture, withTextChunks } from './converging-renders.js';

/**
 * What the two fake generators (fake-comfyui.ts, fake-a1111.ts) share: an HTTP server on 127.0.0.1
 * (port 0) that can hang, die mid-sweep or refuse connections, a render clock linear in steps, and
 * PNGs whose pixels converge with steps.
 */

/** The generator's own render time (what it reports) and how much of it the fake really waits. */
export interface RenderClock {
  /** Reported milliseconds per render before the first step (model load, VAE decode). */
  overheadMs: number;
  /** Reported milliseconds per step. */
  msPerStep: number;
  /** Real waiting = reported × timeScale (1/500 turns a 20 s render into 40 ms). */
  timeScale: number;
}

export const DEFAULT_CLOCK: RenderClock = { overheadMs: 380, msPerStep: 670, timeScale: 0.002 };

/** The render time the generator reports for `steps` (a FLUX.1-dev-like 0.38 s + 0.67 s per step by default). */
export function reportedRenderMs(clock: RenderClock, steps: number): number {
  return clock.overheadMs + clock.msPerStep * steps;
}

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;

export interface FakeServer {
  url: string;
  port: number;
  /** Every request, in order: `METHOD /path?query`. */
  requests: string[];
  /** When true, requests are accepted and never answered (a renderer that hangs). */
  hang: boolean;
  /** The process dies: open connections are cut and the port stops listening. */
  die(): Promise<void>;
  close(): Promise<void>;
  /** Whether die() or close() was called. */
  readonly dead: boolean;
}

/** `port` 0 picks a free one; a fixed port brings a dead renderer "back" at the same URL. */
export async function startFakeServer(handle: RouteHandler, port = 0): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  let dead = false;
  const fake = {} as FakeServer;
  const server = http.createServer((req, res) => {
    fake.requests.push(`${req.method} ${req.url}`);
    if (fake.hang) return;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    Promise.resolve(handle(req, res, url)).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, `500 Internal Server Error\n\n${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  const stop = async () => {
    if (dead) return;
    dead = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  Object.assign(fake, { url: `http://127.0.0.1:${bound}`, port: bound, requests: [], hang: false, die: stop, close: stop });
  Object.defineProperty(fake, 'dead', { get: () => dead });
  return fake;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The request body as text (at most 32 MB, like a generous aiohttp client_max_size). */
export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 32 * 1024 * 1024) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Waits `ms` real milliseconds, or less when `stop()` turns true (checked every few ms, like a sampler between steps). */
export async function sleepUnless(ms: number, stop: () => boolean): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (stop()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, Math.min(5, ms)));
  }
  return ms;
}

/** σ of the Gaussian blur of a render at `steps` steps: 0.5 + 6·e^(−steps/7), as converging-renders.ts. */
export function blurSigma(steps: number): number {
  return 0.5 + 6 * Math.exp(-steps / 7);
}

/**
 * A render "at `steps` steps" of picture `variant`, `size`² grey pixels, as a PNG with the given tEXt
 * chunks: more steps → sharper and closer to the most-steps render, flattening out.
 */
export async function convergingPng(options: { steps: number; variant: number; size: number; text: Record<string, string> }): Promise<Buffer> {
  const png = await sharp(testPicture(options.size, options.variant), { raw: { width: options.size, height: options.size, channels: 1 } })
    .blur({ sigma: blurSigma(options.steps), precision: 'float', minAmplitude: 0.001 })
    .png()
    .toBuffer();
  return withTextChunks(png, Object.entries(options.text).map(([key, value]) => tEXt(key, value)));
}

/** A small stable number from a seed (decimal text, maybe beyond 2^53) and a prompt: which test picture to draw. */
export function pictureVariant(seed: string, prompt: string): number {
  let hash = 0;
  for (const ch of prompt) hash = (hash * 31 + ch.charCodeAt(0)) % 1_000_003;
  const seedPart = /^\d+$/.test(seed) ? Number(BigInt(seed) % 5n) : 0;
  return (seedPart + hash) % 5;
}

/** Render edge in pixels: the requested size over 8 (the latent's size), kept between 32 and 256. */
export function renderSize(width: number, height: number): number {
  return Math.max(32, Math.min(256, Math.round(Math.min(width, height) / 8)));
}
