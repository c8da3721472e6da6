import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { HttpError } from '../http-error.js';

export interface SignInRateLimitOptions {
  /** Failed attempts allowed per client address and window (default 5). */
  limit?: number;
  /** The window, in milliseconds (default one minute). */
  windowMs?: number;
  /** What is counted, for the 429 message (default 'sign-in attempts'). */
  what?: string;
}

/**
 * Limits sign-in attempts per client IP address (IPv6 by /56 subnet): after `limit` failed attempts in
 * `windowMs`, further attempts get 429 with `Retry-After` until the window ends. Successful sign-ins
 * are not counted. The counts live in memory (one process serves the app). The same limiter, with its
 * own counts, guards wrong Bearer tokens (see tokenAuth). Behind a proxy, "address" is the client's
 * only when SWEETSPOT_TRUST_PROXY says which proxy to believe.
 */
export function signInRateLimit(options: SignInRateLimitOptions = {}): RequestHandler {
  const windowMs = options.windowMs ?? 60_000;
  return rateLimit({
    windowMs,
    limit: options.limit ?? 5,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    handler: function tooManySignIns(_req, res, next) {
      const seconds = res.getHeader('Retry-After') ?? Math.ceil(windowMs / 1000);
      next(new HttpError(429, 'too_many_attempts', `Too many ${options.what ?? 'sign-in attempts'} from this address: try again in ${seconds} seconds.`));
    },
  });
}
