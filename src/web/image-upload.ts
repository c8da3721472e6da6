import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import { removeQuietly, tempName, uploadTempDir } from '../services/image-files.js';
import { DEFAULT_IMAGE_LIMITS, displayFileName, rejected, storeImage, type ImageLimits, type ImageUploadResult } from '../services/images.js';
import { HttpError } from './http-error.js';

/** The multipart field that carries the files. */
export const IMAGE_FIELD = 'files';

export interface ReceiveOptions {
  limits?: Partial<ImageLimits>;
}

/**
 * Reads a multipart upload (field `files`, any number of files up to the count limit): each file is
 * streamed to a temporary file of ours under `${dataDir}/tmp` with the size limit applied while it
 * streams, then handed to `storeImage` one at a time, and its temporary file removed. Returns one
 * result per file, in the order sent. Temporary files never outlive the request, whatever happens: a
 * client that disconnects mid-file has its file streams destroyed, their descriptors closed and their
 * temporary files removed at once.
 */
export function receiveImageUploads(db: Db, config: Pick<Config, 'dataDir'>, req: Request, options: ReceiveOptions = {}): Promise<ImageUploadResult[]> {
  const limits = { ...DEFAULT_IMAGE_LIMITS, ...options.limits };
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: limits.maxFiles, fileSize: limits.maxBytes, fields: 20, fieldSize: 1024, parts: limits.maxFiles + 20 },
      });
    } catch {
      reject(new HttpError(400, 'bad_request', `Send the images as multipart/form-data in the field "${IMAGE_FIELD}"`, [
        { field: 'Content-Type', message: 'must be multipart/form-data' },
      ]));
      return;
    }
    const tempDir = uploadTempDir(config.dataDir);
    const temps = new Set<string>();
    /** File streams not yet fully written: an aborted request destroys them, which closes their files. */
    const streams = new Set<NodeJS.ReadableStream & { destroy(error?: Error): void }>();
    const results: ImageUploadResult[] = [];
    let chain: Promise<void> = fs.promises.mkdir(tempDir, { recursive: true }).then(() => undefined);
    let tooMany = false;
    let failed = false;

    const cleanUp = async () => {
      await chain.catch(() => undefined);
      await Promise.all([...temps].map(removeQuietly));
    };

    parser.on('file', (name, stream, info) => {
      if ((name !== IMAGE_FIELD && name !== `${IMAGE_FIELD}[]`) || !info.filename || failed) {
        stream.resume();
        return;
      }
      // A form cut short errors this stream before its turn comes to be piped: without a listener that
      // error would be uncaught and end the process. The parser's own 'error' answers the request.
      stream.on('error', () => undefined);
      streams.add(stream);
      stream.once('close', () => streams.delete(stream));
      const index = results.length;
      const file = displayFileName(info.filename);
      results.push(rejected(file, 'not-read', 'The file was not read.'));
      const temp = tempName(tempDir);
      temps.add(temp);
      let truncated = false;
      stream.on('limit', () => {
        truncated = true;
      });
      // Written when its turn comes: busboy waits until a file is read, so one upload at a time sits on disk.
      const written = chain.then(() => pipeline(stream, fs.createWriteStream(temp, { flags: 'wx' })));
      // A file that cannot be written (a full disk) ends the upload at once: the parser would otherwise
      // wait for its destroyed file stream to be read, and the request would hang.
      written.catch((err: unknown) => {
        stream.resume();
        if (failed) return;
        failed = true;
        req.unpipe(parser);
        void cleanUp().then(() => reject(err));
      });
      chain = chain.then(async () => {
        try {
          await written;
          if (truncated) {
            results[index] = rejected(file, 'too-large', `The file is over the limit of ${Math.round(limits.maxBytes / 1048576)} MB per image.`);
          } else {
            results[index] = await storeImage(db, config, await fs.promises.readFile(temp), file, { limits });
          }
        } finally {
          temps.delete(temp);
          await removeQuietly(temp);
        }
      });
      chain.catch(() => {
        failed = true;
      });
    });
    parser.on('filesLimit', () => {
      tooMany = true;
    });
    parser.on('error', (err) => {
      failed = true;
      void cleanUp().then(() => reject(new HttpError(400, 'bad_request', `The upload could not be read: ${(err as Error).message}`)));
    });
    parser.on('close', () => {
      chain.then(
        async () => {
          await cleanUp();
          if (tooMany) {
            results.push(
              rejected('(further files)', 'too-many-files', `Only the first ${limits.maxFiles} files of an upload are read; send the rest in another upload.`),
            );
          }
          resolve(results);
        },
        async (err: unknown) => {
          await cleanUp();
          reject(err);
        },
      );
    });
    // A client that goes away mid-file never sends the rest: without this its file stream would wait
    // for ever, holding the temporary file (up to the size limit) and its descriptor.
    const abort = () => {
      if (failed && streams.size === 0) return;
      failed = true;
      req.unpipe(parser);
      const gone = new Error('the client closed the connection before the upload was complete');
      for (const stream of streams) stream.destroy(gone);
      streams.clear();
      parser.destroy();
      void cleanUp().then(() => reject(new HttpError(400, 'upload_aborted', 'The upload was cut short; nothing of it was kept.')));
    };
    req.on('close', () => {
      if (!req.complete) abort();
    });
    req.pipe(parser);
  });
}
