import { afterEach, describe, expect, it } from 'vitest';
import { boundedFetch } from '../../src/renderers/bounded-fetch.js';
import { RendererError } from '../../src/renderers/renderer-error.js';
import { startFakeServer, type FakeServer } from '../helpers/fake-generator-server.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handle: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const s = await startFakeServer(handle);
  servers.push(s);
  return s;
}

const BOUNDS = { timeoutMs: 2000, maxBytes: 1024 };

describe('boundedFetch', () => {
  it('follows a redirect within the same origin (a proxy adding a slash)', async () => {
    const s = await server((req, res) => {
      if (req.url === '/api') {
        res.writeHead(301, { location: '/api/' });
        res.end();
      } else res.end('{"ok":true}');
    });
    const answer = await boundedFetch(`${s.url}/api`, { method: 'GET' }, BOUNDS);
    expect(new TextDecoder().decode(answer.bytes)).toBe('{"ok":true}');
    expect(answer.url).toBe(`${s.url}/api/`);
    expect(s.requests).toEqual(['GET /api', 'GET /api/']);
  });

  it('gives up on a redirect loop after three hops', async () => {
    const s = await server((req, res) => {
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const err = await boundedFetch(`${s.url}/a`, { method: 'GET' }, BOUNDS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RendererError);
    expect((err as RendererError).code).toBe('redirect');
    expect(s.requests).toHaveLength(4);
  });

  it('refuses an answer whose declared length is over the cap before reading it', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-length': 4096 });
      res.end(Buffer.alloc(4096));
    });
    const err = await boundedFetch(s.url, { method: 'GET' }, BOUNDS).catch((e: unknown) => e);
    expect((err as RendererError).code).toBe('too-large');
    expect((err as RendererError).message).toContain('more than 1 KB, the limit');
  });
});
