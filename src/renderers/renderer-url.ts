/**
 * A renderer's base URL checked and normalised: http or https only, no user name or password (the URL
 * is shown in full), no query or fragment; a path prefix (a reverse proxy's) is kept, without its
 * trailing slash. Returns the problem in words when the URL is not acceptable.
 *
 * @example parseRendererUrl('http://127.0.0.1:8188/') // → { url: 'http://127.0.0.1:8188' }
 * @example parseRendererUrl('file:///etc/passwd') // → { problem: 'must start with http:// or https://' }
 */
export function parseRendererUrl(text: string): { url: string } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: 'is empty' };
  if (trimmed.length > 2000) return { problem: 'is longer than 2000 characters' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { problem: `is not a URL (write it like http://127.0.0.1:8188)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'must start with http:// or https://' };
  if (url.username !== '' || url.password !== '') return { problem: 'must not contain a user name or password (it is shown in full)' };
  if (url.search !== '' || url.hash !== '') return { problem: 'must not have a query (?…) or fragment (#…)' };
  const path = url.pathname.replace(/\/+$/, '');
  return { url: `${url.protocol}//${url.host}${path}` };
}

/** The URL of `path` (with its query) under a normalised base URL. */
export function endpointUrl(baseUrl: string, path: string, query?: Record<string, string>): string {
  const search = query ? `?${new URLSearchParams(query).toString()}` : '';
  return `${baseUrl}${path}${search}`;
}
