/** Start-up cannot go on; the message is one line naming the path or port and what to do. */
export class StartupError extends Error {
  override name = 'StartupError';
}
