import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/test-app.js';
import { listen, type RawServer } from '../security/raw-http.js';

let dataDir: string;
let ctx: TestContext;
let server: RawServer;
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweetspot-abort-'));
  ctx = await createTestApp({ SWEETSPOT_DATA_DIR: dataDir });
  server = await listen(ctx.app);
});
afterEach(async () => {
  await server.close();
  await ctx.db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const tempDir = () => path.join(dataDir, 'tmp');
const partFiles = () => (fs.existsSync(tempDir()) ? fs.readdirSync(tempDir()).filter((name) => name.endsWith('.part')) : []);
/** This process's open descriptors on files in the upload folder (Linux: /proc/self/fd). */
function openPartDescriptors(): number {
  let count = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(tempDir())) count++;
    } catch {
      // closed while listing
    }
  }
  return count;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts a multipart upload announcing 5 MB, sends `sentBytes` of the file, and leaves the socket open. */
function startUpload(sentBytes: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => {
      const boundary = 'x-boundary-14';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`;
      socket.write(
        `POST /api/v1/images HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
          `Content-Length: ${5 * 1024 * 1024}\r\n\r\n${head}`,
      );
      socket.write(Buffer.alloc(sentBytes, 0x41), () => resolve(socket));
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

// Finding 3 of issue #14: a client that disconnected mid-file left its .part file and an open
// descriptor for as long as the server ran: 15 aborts left 66 MB and 15 descriptors.
describe('aborted uploads', () => {
  it('removes the temporary files and closes the descriptors of 15 uploads cut off mid-file', async () => {
    const sockets = await Promise.all(Array.from({ length: 15 }, () => startUpload(1024 * 1024)));
    await until(() => partFiles().length >= 1, 'the uploads are being written');
    for (const socket of sockets) socket.destroy();
    await until(() => partFiles().length === 0 && openPartDescriptors() === 0, 'every .part file is gone and closed');
    expect(partFiles()).toEqual([]);
    expect(openPartDescriptors()).toBe(0);
    const images = await ctx.db.selectFrom('images').select('id').execute();
    expect(images).toEqual([]);
  });

  it('drops the staged rows of an import cut off mid-body and marks it failed at once', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `flux-dev,${(i % 40) + 1},5`).join('\n');
    const body = `model,steps,score\n${rows}\n`;
    const socket = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(server.port, '127.0.0.1', () => {
        s.write(`POST /api/v1/import HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: text/csv\r\nContent-Length: ${body.length * 10}\r\n\r\n${body}`, () => resolve(s));
      });
      s.on('error', () => undefined);
    });
    const staged = async () => Number((await ctx.db.selectFrom('import_staging').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const status = async () => (await ctx.db.selectFrom('imports').select('status').executeTakeFirst())?.status;
    const end = Date.now() + 20_000;
    while ((await staged()) === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(await staged()).toBeGreaterThan(0);
    socket.destroy();
    while ((await status()) !== 'failed' && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(await status()).toBe('failed');
    expect(await staged()).toBe(0);
    expect(await ctx.db.selectFrom('runs').select('id').execute()).toEqual([]);
  });
});
