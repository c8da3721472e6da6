import express, { Router, type Request, type Response } from 'express';
import { sameSecret, type SessionSigner } from './session-cookie.js';
import { signInRateLimit, type SignInRateLimitOptions } from './sign-in-rate-limit.js';
import { localReturnPath } from './token-auth.js';

export interface SignInRoutesOptions {
  /** SWEETSPOT_TOKEN. */
  token: string;
  session: SessionSigner;
  rateLimit?: SignInRateLimitOptions;
}

const signInForm = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

/**
 * `GET /sign-in` (a form asking for the token), `POST /sign-in` (rate-limited; on success an httpOnly,
 * SameSite=Strict cookie holding a signed session — never the token — and back to `next`),
 * `POST /sign-out` (drops the cookie).
 */
export function signInRoutes(options: SignInRoutesOptions): Router {
  const router = Router();
  const { session } = options;
  const signedIn = (req: Request) => session.verify((req.cookies as Record<string, unknown> | undefined)?.[session.name]);
  const render = (res: Response, status: number, locals: { next: string; error: string | null; signedIn: boolean }) =>
    res.status(status).render('sign-in', { title: 'Sign in', ...locals });

  router.get('/sign-in', (req, res) => {
    render(res, 200, { next: localReturnPath(req.query.next), error: null, signedIn: signedIn(req) });
  });

  router.post('/sign-in', signInRateLimit(options.rateLimit), signInForm, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = localReturnPath(body.next);
    const given = typeof body.token === 'string' ? body.token : '';
    if (given === '' || !sameSecret(given, options.token)) {
      render(res, 401, { next, error: 'That is not the token this server was started with.', signedIn: false });
      return;
    }
    res.cookie(session.name, session.issue(), {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: session.maxAgeMs,
    });
    res.redirect(303, next);
  });

  router.post('/sign-out', (req, res) => {
    res.clearCookie(session.name, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.redirect(303, '/');
  });

  return router;
}
