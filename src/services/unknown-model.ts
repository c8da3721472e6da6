import type { Db } from '../db/connect.js';
import { listModels } from '../store/models.js';

/** The most slugs a message lists before "…". */
const SHOWN = 12;

/**
 * What to say about a model slug nobody knows: the slugs that do exist, so a user at a terminal can
 * retype it. "unknown model 'sdxl': use one of flux-dev, flux-pro, flux-schnell, recraft-v3 (or add it first)"
 */
export function unknownModelMessage(slug: string, known: readonly string[]): string {
  const list = [...known].sort();
  const shown = list.length > SHOWN ? `${list.slice(0, SHOWN).join(', ')}, …` : list.join(', ');
  return list.length === 0 ? `unknown model '${slug}': add it first` : `unknown model '${slug}': use one of ${shown} (or add it first)`;
}

/** {@link unknownModelMessage} with the slugs read from the database (only on the error path). */
export async function unknownModelMessageFrom(db: Db, slug: string): Promise<string> {
  return unknownModelMessage(slug, (await listModels(db)).map((m) => m.slug));
}
