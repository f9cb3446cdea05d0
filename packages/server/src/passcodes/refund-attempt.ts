import { sql } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Gives back the attempt a request reserved before checking a passcode that turned out right. Capped at
 * the link's lifetime attempts, in case the owner re-armed the link meanwhile.
 */
export const refundPasscodeAttempt = async (db: Database, linkId: string, at: Date): Promise<void> => {
  await sql`
    update shl_passcodes set remaining = least(remaining + 1, attempts), updated_at = ${at}
    where link_id = ${linkId}`.execute(db);
};
