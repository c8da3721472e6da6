import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawServer {
  port: number;
  /** Sends `path` exactly as written (no URL normalisation: `../`, `%2e`, backslashes reach the app). */
  request(method: string, path: string, options?: { headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse>;
  close(): Promise<void>;
}

/** Listens on a free loopback port; requests go out byte for byte as given. */
export async function listen(app: Express): Promise<RawServer> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return {
    port,
    request(method, path, options = {}) {
      return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: options.headers ?? {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(options.body);
      });
    },
    async close() {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
