import type { Db } from '../db/connect.js';
import type { Source } from '../db/schema.js';
import type { RunInput } from '../validation/run-input.js';

/** Most runs one group commit takes. */
const MAX_GROUP = 500;

interface Pending<T> {
  input: RunInput;
  source: Source;
  resolve: (stored: T) => void;
  reject: (err: unknown) => void;
}

/** Stores runs in one transaction and answers each (its id, or the stored run), in input order. */
type InsertBatch<T> = (db: Db, inputs: readonly RunInput[], source: Source) => Promise<T[]>;

/**
 * Group commit for single runs: runs logged at the same moment (many clients at once) are written in
 * one short transaction instead of one each, so the per-commit cost is shared. Each caller still gets
 * its own answer: if the group fails (one run clashes with the database), every run of it is retried
 * on its own, and only the faulty one fails.
 */
export class RunWriteQueue<T> {
  private pending: Pending<T>[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly insertBatch: InsertBatch<T>,
  ) {}

  add(input: RunInput, source: Source): Promise<T> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, source, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const group = this.pending.splice(0, MAX_GROUP);
    if (this.pending.length > 0) setImmediate(() => void this.flush());
    else this.scheduled = false;
    const bySource = new Map<Source, Pending<T>[]>();
    for (const p of group) bySource.set(p.source, [...(bySource.get(p.source) ?? []), p]);
    for (const [source, items] of bySource) {
      try {
        const stored = await this.insertBatch(this.db, items.map((p) => p.input), source);
        items.forEach((p, i) => p.resolve(stored[i]!));
      } catch {
        for (const p of items) {
          try {
            const [stored] = await this.insertBatch(this.db, [p.input], source);
            p.resolve(stored!);
          } catch (err) {
            p.reject(err);
          }
        }
      }
    }
  }
}
