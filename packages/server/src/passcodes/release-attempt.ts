import { sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AttemptHold } from './hold-attempt.js';

/**
 * Lets go of the attempt a guess held while it was compared, because the compare never finished (or
 * failed). Nothing is spent: the lifetime count moves only for wrong passcodes.
 */
export const releaseHeldAttempt = async (db: Database, hold: AttemptHold): Promise<void> => {
  await db.deleteFrom('shl_passcode_holds').where('id', '=', hold.id).execute();
};

/**
 * Lets go of the hold of a guess that was compared right, and says whether the hold was still live: not
 * lapsed (by the database's clock) and not yet cleared by another guess's look. Callers serving the right
 * guess pass the serving transaction and serve only when this is true. A compare stalled past the hold's
 * expiry (CPU starvation, a paused process) ran while another guess may have taken the same attempt, so
 * serving it would let N attempts buy more than N compares; the guess is told to ask again instead
 * (nothing spent, so a right passcode loses nothing but the round trip).
 */
export const releaseLiveHold = async (db: Database, hold: AttemptHold): Promise<boolean> => {
  const released = await sql<{ live: boolean }>`
    delete from shl_passcode_holds where id = ${hold.id}
    returning expires_at > statement_timestamp() as live`.execute(db);
  return released.rows[0]?.live === true;
};
