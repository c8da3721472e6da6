import type { Db } from '../db/connect.js';
import { runsVersion } from '../store/data-version.js';
import { LruCache } from './lru-cache.js';

const caches = new WeakMap<Db, LruCache<string, Promise<unknown>>>();

/**
 * An answer that reads every run (counts, per-level summaries), kept until any run changes: the key
 * includes the runs' version, which every write moves. Callers asking at the same moment share one
 * computation; a failed one is not kept.
 */
export async function cachedUntilRunsChange<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new LruCache<string, Promise<unknown>>(200);
    caches.set(db, cache);
  }
  const versioned = `${await runsVersion(db)}|${key}`;
  const cached = cache.get(versioned) as Promise<T> | undefined;
  if (cached) return cached;
  const answer = compute();
  cache.set(versioned, answer);
  answer.catch(() => cache.delete(versioned));
  return answer;
}
