/**
 * Runs at most `limit` of the given jobs at a time; the others wait in arrival order. Used where each
 * job holds much memory for a while (an image decode), so that many requests at once cannot add up.
 *
 * @example const decodeSlot = concurrencyLimit(2); await decodeSlot(() => sharp(bytes).toBuffer());
 */
export function concurrencyLimit(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function limited<T>(job: () => Promise<T>): Promise<T> {
    if (running >= limit) await new Promise<void>((resume) => waiting.push(resume));
    running++;
    try {
      return await job();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
