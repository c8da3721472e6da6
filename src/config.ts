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
});

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
  const dataDir = path.resolve(e.SWEETSPOT_DATA_DIR);
  const database = e.SWEETSPOT_DB ?? path.resolve('data', 'sweetspot.db');
  const token = e.SWEETSPOT_TOKEN ? e.SWEETSPOT_TOKEN : null;
  if (!isLoopbackHost(e.HOST) && token === null) {
    throw new ConfigError(
      `Refusing to listen on ${e.HOST} without SWEETSPOT_TOKEN: anyone on the network could write to the tracker. ` +
        'Set SWEETSPOT_TOKEN or use HOST=127.0.0.1.',
    );
  }
  return Object.freeze({ port: e.PORT, host: e.HOST, database, dataDir, token });
}
