import type { RequestHandler } from 'express';
import { HttpError } from '../http-error.js';

export interface HostCheckOptions {
  /** The address the server listens on (HOST); a wildcard address (0.0.0.0, ::) names no host. */
  listenHost?: string;
  /** Further names the server answers to (SWEETSPOT_ALLOWED_HOSTS), lower case, IPv6 in brackets. */
  allowedHosts?: readonly string[];
}

/** The loopback names: a page on another site can never make a browser send these (DNS rebinding needs its own name). */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** The host name of a Host header, lower case, without the port (`[::1]:3000` → `[::1]`). */
export function hostNameOf(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/** The set of host names a server listening on `listenHost` answers to. */
export function allowedHostNames(options: HostCheckOptions = {}): Set<string> {
  const names = new Set(LOOPBACK_HOST_NAMES);
  const listen = options.listenHost?.trim().toLowerCase();
  if (listen && !WILDCARD_HOSTS.has(listen)) names.add(listen.includes(':') && !listen.startsWith('[') ? `[${listen}]` : listen);
  for (const name of options.allowedHosts ?? []) names.add(name.toLowerCase());
  return names;
}

/**
 * Answers only requests whose Host header names this server (the loopback names, HOST and
 * SWEETSPOT_ALLOWED_HOSTS). This defeats DNS rebinding: a page on evil.example whose name is made to
 * resolve to 127.0.0.1 reaches the port, but its requests say `Host: evil.example` and get a 421.
 */
export function hostCheck(options: HostCheckOptions = {}): RequestHandler {
  const allowed = allowedHostNames(options);
  return function checkHost(req, _res, next) {
    const header = req.headers.host;
    if (!header) {
      next(new HttpError(400, 'missing_host', 'The request names no host (the Host header is missing).'));
      return;
    }
    const name = hostNameOf(header);
    if (!allowed.has(name)) {
      next(
        new HttpError(
          421,
          'unknown_host',
          `This server does not answer to the host name '${name.slice(0, 100)}'. If that is how people reach it, add it to SWEETSPOT_ALLOWED_HOSTS.`,
        ),
      );
      return;
    }
    next();
  };
}
