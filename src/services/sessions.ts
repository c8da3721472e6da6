import type { Db } from '../db/connect.js';
import { raiseSessionGeneration, sessionGeneration } from '../store/session-state.js';

/** What the sign-in cookie checks need from the database: the generation sessions must carry, and sign-out. */
export interface SessionStore {
  /** The generation a session cookie must carry to be accepted. */
  generation(): Promise<number>;
  /** Ends every session issued so far (sign-out), on every server sharing the database. */
  revokeAll(): Promise<void>;
}

export function sessionStore(db: Db): SessionStore {
  return {
    generation: () => sessionGeneration(db),
    revokeAll: () => raiseSessionGeneration(db),
  };
}
