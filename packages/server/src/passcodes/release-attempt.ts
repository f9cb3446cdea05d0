import type { Database } from '../db/schema.js';
import type { AttemptHold } from './hold-attempt.js';

/**
 * Lets go of the attempt a guess held while it was compared, because the passcode was right (or the
 * compare never finished). Nothing is spent: the lifetime count moves only for wrong passcodes. Callers
 * serving the right guess pass the serving transaction, so the hold goes when the `ok` row commits.
 */
export const releaseHeldAttempt = async (db: Database, hold: AttemptHold): Promise<void> => {
  await db.deleteFrom('shl_passcode_holds').where('id', '=', hold.id).execute();
};
