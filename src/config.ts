import path from 'node:path';
import { z } from 'zod';

/** Everything the app reads from the environment, validated once at start-up. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** A file path (SQLite) or a postgres:// URL; default ./data/sweetspot.db. */
  readonly database: string;
  /** Where images and other files live. */
  readonly dataDir: string;
  /** When set, every write needs it. */
  readonly token: string | null;
  /**
   * Host names the app answers to besides the loopback names and HOST (`SWEETSPOT_ALLOWED_HOSTS`, e.g.
   * the name a reverse proxy serves it under); a request naming any other host is refused.
   */
  readonly allowedHosts: readonly string[];
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'PORT must be a number' })
    .int('PORT must be a whole number')
    .min(0, 'PORT must be between 0 and 65535')
    .max(65535, 'PORT must be between 0 and 65535')
    .default(3000),
  HOST: z.string().trim().min(1, 'HOST must not be empty').default('127.0.0.1'),
  SWEETSPOT_DB: z.string().trim().min(1, 'SWEETSPOT_DB must not be empty').optional(),
  SWEETSPOT_DATA_DIR: z.string().trim().min(1, 'SWEETSPOT_DATA_DIR must not be empty').default('./data'),
  SWEETSPOT_TOKEN: z
    .string()
    .optional()
    .refine((t) => t === undefined || t === '' || t.length >= 12, 'SWEETSPOT_TOKEN must be at least 12 characters'),
  SWEETSPOT_ALLOWED_HOSTS: z.string().optional(),
});

/** A host name, an IPv4 address or a bracketed IPv6 address, without scheme, port or path. */
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f.]*:[0-9a-f.]*:[0-9a-f:.]*\])$/;

/** `SWEETSPOT_ALLOWED_HOSTS` as lower-case names; a bad entry is named in the error. */
function parseAllowedHosts(value: string | undefined): string[] | { problem: string } {
  const names = (value ?? '').split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  for (const name of names) {
    const bracketed = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
    if (!HOST_NAME.test(bracketed)) {
      return { problem: `SWEETSPOT_ALLOWED_HOSTS: '${name}' is not a host name (write names like tracker.example.com, without scheme or port, separated by commas)` };
    }
  }
  return names.map((n) => (n.includes(':') && !n.startsWith('[') ? `[${n}]` : n));
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
}

/**
 * Reads the configuration from an environment object (normally `process.env`, passed in by the caller).
 * Throws a ConfigError naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const allowedHosts = parseAllowedHosts(e.SWEETSPOT_ALLOWED_HOSTS);
  if (!Array.isArray(allowedHosts)) throw new ConfigError(`Invalid configuration: ${allowedHosts.problem}`);
  const dataDir = path.resolve(e.SWEETSPOT_DATA_DIR);
  const database = e.SWEETSPOT_DB ?? path.resolve('data', 'sweetspot.db');
  const token = e.SWEETSPOT_TOKEN ? e.SWEETSPOT_TOKEN : null;
  if (!isLoopbackHost(e.HOST) && token === null) {
    throw new ConfigError(
      `Refusing to listen on ${e.HOST} without SWEETSPOT_TOKEN: anyone on the network could write to the tracker. ` +
        'Set SWEETSPOT_TOKEN or use HOST=127.0.0.1.',
    );
  }
  return Object.freeze({ port: e.PORT, host: e.HOST, database, dataDir, token, allowedHosts: Object.freeze(allowedHosts) });
}
