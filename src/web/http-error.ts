/** An error that carries the HTTP status and a stable code to answer with. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}
