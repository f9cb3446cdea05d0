import { sql } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Spends one lifetime passcode attempt. SHL requires the count to stay correct under parallel requests, so
 * this is one atomic statement, never read-then-write: a request either takes an attempt that was still
 * there and learns what remains, or gets `null` because none were left (the link is locked).
 */
export const spendPasscodeAttempt = async (
  db: Database,
  linkId: string,
  at: Date,
): Promise<number | null> => {
  const result = await sql<{ remaining: number }>`
    update shl_passcodes set remaining = remaining - 1, updated_at = ${at}
    where link_id = ${linkId} and remaining > 0
    returning remaining`.execute(db);
  const row = result.rows[0];
  return row === undefined ? null : Number(row.remaining);
};
