import type { Request, RequestHandler } from 'express';
import { HttpError } from '../http-error.js';
import { isSafeMethod } from './origin-check.js';
import type { SessionStore } from '../../services/sessions.js';
import { sameSecret, type SessionSigner } from './session-cookie.js';
import { signInRateLimit, type SignInRateLimitOptions } from './sign-in-rate-limit.js';

export interface TokenAuthOptions {
  /** SWEETSPOT_TOKEN. */
  token: string;
  /** Checks the sign-in cookie of the pages. */
  session: SessionSigner;
  /** The session generation a cookie must carry (raised by sign-out). */
  sessions: Pick<SessionStore, 'generation'>;
  /** Wrong Bearer tokens per client address and window (default: like sign-in, 5 a minute). */
  rateLimit?: SignInRateLimitOptions;
  /** Where an unsigned page write is sent (default `/sign-in`). */
  signInPath?: string;
  /** Paths that need no token even for writes (default: the sign-in and sign-out routes). */
  open?: readonly string[];
}

/** How a write proved it may write: a Bearer token (scripts) or the sign-in cookie (the pages). */
export type WriteAuth = 'bearer' | 'session';

/** The token of `Authorization: Bearer <token>`, '' for another scheme, or null without the header. */
function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : '';
}

/** A page path of this site to return to after signing in (never another site: no `//host` or `/\host`). */
export function localReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\u0000-\u001f\\]/.test(value)) return fallback;
  return value;
}

/** Where a page write came from, as a local path, to return there after signing in. */
function returnPathOf(req: Request): string {
  const referer = req.headers.referer;
  if (!referer) return '/';
  try {
    const url = new URL(referer);
    return url.host.toLowerCase() === req.headers.host?.toLowerCase() ? localReturnPath(url.pathname + url.search) : '/';
  } catch {
    return '/';
  }
}

/**
 * When a token is configured, every write needs it; reads stay open. API writes send
 * `Authorization: Bearer <token>` (or carry the pages' sign-in cookie, as the pages' own scripts do)
 * and otherwise get a 401; page writes need the sign-in cookie and are otherwise sent to the sign-in
 * page. Tokens and signatures are compared in constant time; wrong Bearer tokens are rate-limited per
 * client address like sign-ins; a cookie must carry the current session generation (sign-out raises
 * it). Records how the write was allowed in `res.locals.writeAuth`.
 */
export function tokenAuth(options: TokenAuthOptions): RequestHandler {
  const signInPath = options.signInPath ?? '/sign-in';
  const open = new Set(options.open ?? [signInPath, '/sign-out']);
  const guessLimit = signInRateLimit({ what: 'wrong tokens', ...options.rateLimit });
  return async function requireToken(req, res, next) {
    if (isSafeMethod(req.method) || open.has(req.path)) {
      next();
      return;
    }
    const isApi = req.originalUrl.startsWith('/api/');
    const bearer = bearerToken(req);
    if (bearer !== null) {
      if (bearer !== '' && sameSecret(bearer, options.token)) {
        res.locals.writeAuth = 'bearer' satisfies WriteAuth;
        next();
        return;
      }
      // Counted like a failed sign-in: past the limit the answer is 429 whatever the guess.
      guessLimit(req, res, (err?: unknown) => {
        if (err !== undefined) {
          next(err);
          return;
        }
        res.setHeader('WWW-Authenticate', 'Bearer realm="sweetspot", error="invalid_token"');
        next(new HttpError(401, 'invalid_token', 'The token in the Authorization header is not the right one (send Authorization: Bearer <SWEETSPOT_TOKEN>).'));
      });
      return;
    }
    const cookie = (req.cookies as Record<string, unknown> | undefined)?.[options.session.name];
    if (cookie !== undefined && options.session.verify(cookie, await options.sessions.generation())) {
      res.locals.writeAuth = 'session' satisfies WriteAuth;
      next();
      return;
    }
    if (isApi) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="sweetspot"');
      next(new HttpError(401, 'unauthorized', 'This write needs the token: send the header Authorization: Bearer <SWEETSPOT_TOKEN>.'));
      return;
    }
    res.redirect(303, `${signInPath}?next=${encodeURIComponent(returnPathOf(req))}`);
  };
}
