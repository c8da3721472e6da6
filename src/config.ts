import net from 'node:net';
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
  /**
   * Which reverse proxy to believe about the client (`SWEETSPOT_TRUST_PROXY`): false (none, the
   * default), a number of proxy hops, or a list of proxy addresses / subnets (Express's `trust proxy`).
   */
  readonly trustProxy: false | number | string;
}

/** The shortest SWEETSPOT_TOKEN accepted. */
export const MIN_TOKEN_LENGTH = 16;

/** Why a token is too weak to guard writes, or null when it is acceptable. */
export function tokenWeakness(token: string): string | null {
  if (token.length < MIN_TOKEN_LENGTH) return `SWEETSPOT_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters (run "sweetspot token" for a strong one)`;
  if (/\s/.test(token)) return 'SWEETSPOT_TOKEN must not contain spaces (an Authorization header cannot carry them)';
  if (new Set(token).size === 1) return 'SWEETSPOT_TOKEN must not be one character repeated (run "sweetspot token" for a strong one)';
  return null;
}


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
    .superRefine((t, ctx) => {
      const weakness = t === undefined || t === '' ? null : tokenWeakness(t);
      if (weakness !== null) ctx.addIssue({ code: 'custom', message: weakness });
    }),
  SWEETSPOT_ALLOWED_HOSTS: z.string().optional(),
  SWEETSPOT_TRUST_PROXY: z.string().trim().optional(),
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

/**
 * Whether HOST is a loopback address, decided by the address, not by how it is written: 127.0.0.0/8,
 * ::1 and ::ffff:127.x.y.z, or the reserved name `localhost` (RFC 6761). A name such as
 * `127.attacker.example` is not an address and is not loopback.
 *
 * @example isLoopbackHost('127.0.0.2') // → true; isLoopbackHost('127.attacker.example') // → false
 */
export function isLoopbackHost(host: string): boolean {
  const value = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (value === 'localhost') return true;
  const version = net.isIP(value);
  if (version === 4) return value.split('.')[0] === '127';
  if (version === 6) {
    const list = new net.BlockList();
    list.addAddress('::1', 'ipv6');
    list.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
    return list.check(value, 'ipv6');
  }
  return false;
}

/** `SWEETSPOT_TRUST_PROXY`: unset or false → trust none; true → one hop; a number of hops; else a list of addresses or subnets. */
function parseTrustProxy(value: string | undefined): false | number | string | { problem: string } {
  if (value === undefined || value === '' || /^(false|0|no)$/i.test(value)) return false;
  if (/^(true|yes)$/i.test(value)) return 1;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry);
    if (!named && (net.isIP(address ?? '') === 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits)))) {
      return { problem: `SWEETSPOT_TRUST_PROXY: '${entry}' is not a number of proxies, an address, a subnet (10.0.0.0/8) or loopback` };
    }
  }
  return entries.join(',');
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
  const trustProxy = parseTrustProxy(e.SWEETSPOT_TRUST_PROXY);
  if (typeof trustProxy === 'object') throw new ConfigError(`Invalid configuration: ${trustProxy.problem}`);
  const dataDir = path.resolve(e.SWEETSPOT_DATA_DIR);
  const database = e.SWEETSPOT_DB ?? path.resolve('data', 'sweetspot.db');
  const token = e.SWEETSPOT_TOKEN ? e.SWEETSPOT_TOKEN : null;
  if (!isLoopbackHost(e.HOST) && token === null) {
    throw new ConfigError(
      `Refusing to listen on ${e.HOST} without SWEETSPOT_TOKEN: anyone on the network could write to the tracker. ` +
        'Set SWEETSPOT_TOKEN or use HOST=127.0.0.1.',
    );
  }
  return Object.freeze({ port: e.PORT, host: e.HOST, database, dataDir, token, allowedHosts: Object.freeze(allowedHosts), trustProxy });
}
