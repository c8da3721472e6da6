import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Signs and checks the sign-in cookie. */
export interface SessionSigner {
  /** The cookie's name. */
  readonly name: string;
  /** How long a session lasts, in milliseconds. */
  readonly maxAgeMs: number;
  /** A new signed session value, carrying the current session `generation`. */
  issue(generation: number, now?: number): string;
  /** Whether a cookie value is a session this signer issued under `generation` and that has not expired. */
  verify(value: unknown, generation: number, now?: number): boolean;
}

export interface SessionOptions {
  /** The shared secret (SWEETSPOT_TOKEN); changing it signs everyone out. */
  token: string;
  /** Default `sweetspot_session`. */
  name?: string;
  /** Default 30 days. */
  maxAgeMs?: number;
}

/** Compares two strings in time that does not depend on where they differ (both are hashed to 32 bytes first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Signed sessions: `v2.<issued ms>.<generation>.<random>.<HMAC-SHA256>` with a key derived from the
 * token, so the cookie never holds the token itself and cannot be forged or extended without it. The
 * generation is kept in the database and raised by sign-out, which revokes every earlier cookie.
 */
export function sessionSigner(options: SessionOptions): SessionSigner {
  const name = options.name ?? 'sweetspot_session';
  const maxAgeMs = options.maxAgeMs ?? 30 * 24 * 3600 * 1000;
  const key = createHmac('sha256', options.token).update('sweetspot session key v1').digest();
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    name,
    maxAgeMs,
    issue(generation, now = Date.now()) {
      const payload = `v2.${now}.${generation}.${randomBytes(16).toString('base64url')}`;
      return `${payload}.${sign(payload)}`;
    },
    verify(value, generation, now = Date.now()) {
      if (typeof value !== 'string' || value.length > 200) return false;
      const parts = value.split('.');
      if (parts.length !== 5 || parts[0] !== 'v2' || !/^\d{1,16}$/.test(parts[1]!) || !/^\d{1,16}$/.test(parts[2]!)) return false;
      const payload = parts.slice(0, 4).join('.');
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(parts[4]!);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      if (Number(parts[2]) !== generation) return false;
      const issued = Number(parts[1]);
      return issued <= now + 60_000 && now - issued < maxAgeMs;
    },
  };
}
