/** Why a file could not be read; each code maps to one kind of user-facing failure. */
export type MetadataErrorCode =
  | 'unsupported-format'
  | 'truncated'
  | 'bad-crc'
  | 'pixel-bomb'
  | 'text-bomb'
  | 'too-many-chunks'
  | 'malformed';

/**
 * Thrown by the container readers (PNG, JPEG, WebP, EXIF) when a file is rejected; the public
 * entry point catches it and turns it into `{ ok: false, code, message }`, so it never escapes
 * the module.
 */
export class MetadataError extends Error {
  readonly code: MetadataErrorCode;

  constructor(code: MetadataErrorCode, message: string) {
    super(message);
    this.name = 'MetadataError';
    this.code = code;
  }
}
