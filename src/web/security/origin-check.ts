import type { Request, RequestHandler } from 'express';
import { HttpError } from '../http-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a method only reads (and so needs neither the token nor an origin check). */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Whether a request carries `Authorization: Bearer …`. A page on another site cannot make a browser
 * send that header without a CORS preflight, which this server never grants, so such a request is
 * not a forged one (the token itself is checked by `tokenAuth`).
 */
export function hasBearer(req: Request): boolean {
  return /^bearer\s/i.test(req.headers.authorization ?? '');
}

export interface OriginCheckOptions {
  /** Requests that need no origin check (default: API requests with a Bearer token). */
  exempt?: (req: Request) => boolean;
}

/** Why a write looks cross-site, or null when it does not (OWASP: verifying origin with standard headers). */
export function crossSiteReason(req: Request): string | null {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `it was sent from another site (Sec-Fetch-Site: ${site})`;
  const host = req.headers.host?.toLowerCase();
  const origin = req.headers.origin;
  const source = origin !== undefined ? { header: 'Origin', value: origin } : req.headers.referer !== undefined ? { header: 'Referer', value: req.headers.referer } : null;
  if (source === null) return null; // not a browser (curl, scripts): nothing to forge
  let sourceHost: string;
  try {
    sourceHost = new URL(source.value).host.toLowerCase();
  } catch {
    return `its ${source.header} header does not name a page of this site`;
  }
  if (sourceHost === '' || sourceHost !== host) return `its ${source.header} (${source.value.slice(0, 100)}) is not this site`;
  return null;
}

/**
 * Cross-site request forgery protection for every write, with no token in the forms: a write is refused
 * (403) when the browser says it came from another site (Fetch Metadata `Sec-Fetch-Site`), or when its
 * `Origin` — or, without one, its `Referer` — names another host than the request's own `Host`.
 * Requests from non-browser clients carry neither header and pass; API requests with a Bearer token
 * are exempt (the token is their proof). Reads are never checked.
 */
export function originCheck(options: OriginCheckOptions = {}): RequestHandler {
  const exempt = options.exempt ?? ((req: Request) => req.originalUrl.startsWith('/api/') && hasBearer(req));
  return function checkOrigin(req, _res, next) {
    if (isSafeMethod(req.method) || exempt(req)) {
      next();
      return;
    }
    const reason = crossSiteReason(req);
    if (reason !== null) {
      next(new HttpError(403, 'cross_site_request', `This write was refused because ${reason}. Send it from sweetspot's own pages.`));
      return;
    }
    next();
  };
}
