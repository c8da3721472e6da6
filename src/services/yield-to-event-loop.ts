/**
 * Resolves after the event loop has had a turn: pending I/O callbacks (other requests) run first.
 * An `await` of a resolved promise does not do that; only a macrotask such as `setImmediate` does.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
