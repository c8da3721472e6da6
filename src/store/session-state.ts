import { sql } from 'kysely';
import type { Db } from '../db/connect.js';

/** The current session generation (0 until the first sign-out). */
export async function sessionGeneration(db: Db): Promise<number> {
  const row = await db.selectFrom('session_state').select('generation').where('id', '=', 1).executeTakeFirst();
  return row?.generation ?? 0;
}

/** Raises the session generation by one; every session issued before stops being accepted. */
export async function raiseSessionGeneration(db: Db): Promise<void> {
  await db.updateTable('session_state').set({ generation: sql`generation + 1` }).where('id', '=', 1).execute();
}
