/** A problem with what the user sent: names each field and its fault. Nothing was written. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly details: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The request is well-formed but clashes with what is stored (e.g. a slug already taken). */
export class ConflictError extends Error {
  override name = 'ConflictError';
}
