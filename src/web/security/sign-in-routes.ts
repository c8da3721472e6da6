import express, { Router, type Request, type Response } from 'express';
import { sameSecret, type SessionSigner } from './session-cookie.js';
import { signInRateLimit, type SignInRateLimitOptions } from './sign-in-rate-limit.js';
import { localReturnPath } from './token-auth.js';
import type { SessionStore } from '../../services/sessions.js';

export interface SignInRoutesOptions {
  /** SWEETSPOT_TOKEN. */
  token: string;
  session: SessionSigner;
  sessions: SessionStore;
  rateLimit?: SignInRateLimitOptions;
}

const signInForm = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

/**
 * `GET /sign-in` (a form asking for the token), `POST /sign-in` (rate-limited; on success an httpOnly,
 * SameSite=Strict cookie holding a signed session — never the token — and back to `next`),
 * `POST /sign-out` (ends every session on the server by raising the session generation, then drops
 * the cookie: a copied cookie is worth nothing afterwards).
 */
export function signInRoutes(options: SignInRoutesOptions): Router {
  const router = Router();
  const { session } = options;
  const signedIn = async (req: Request) => {
    const cookie = (req.cookies as Record<string, unknown> | undefined)?.[session.name];
    return cookie !== undefined && session.verify(cookie, await options.sessions.generation());
  };
  const render = (res: Response, status: number, locals: { next: string; error: string | null; signedIn: boolean }) =>
    res.status(status).render('sign-in', { title: 'Sign in', ...locals });

  router.get('/sign-in', async (req, res) => {
    render(res, 200, { next: localReturnPath(req.query.next), error: null, signedIn: await signedIn(req) });
  });

  router.post('/sign-in', signInRateLimit(options.rateLimit), signInForm, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = localReturnPath(body.next);
    const given = typeof body.token === 'string' ? body.token : '';
    if (given === '' || !sameSecret(given, options.token)) {
      render(res, 401, { next, error: 'That is not the token this server was started with.', signedIn: false });
      return;
    }
    res.cookie(session.name, session.issue(await options.sessions.generation()), {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: session.maxAgeMs,
    });
    res.redirect(303, next);
  });

  router.post('/sign-out', async (req, res) => {
    // Only a signed-in browser may end the sessions (the origin check already refused other sites).
    if (await signedIn(req)) await options.sessions.revokeAll();
    res.clearCookie(session.name, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.redirect(303, '/');
  });

  return router;
}
