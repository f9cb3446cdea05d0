import { sql } from 'kysely';
import { recordAccess } from '../access-log/access-log.repository.js';
import type { Database } from '../db/schema.js';
import type { AttemptHold } from './hold-attempt.js';

/**
 * Settles a wrong guess: the attempt its hold kept becomes a spent one, and the `wrong-passcode` access
 * is logged, in one transaction. SHL requires the lifetime count to stay correct under parallel requests,
 * so the count moves in one atomic statement, never read-then-write; the row lock it takes also orders it
 * with guesses taking holds (hold-attempt.ts), which therefore see the lower count and the hold gone at
 * once. Returns the attempts left, or `null` when none were (possible only if the hold had lapsed and was
 * taken again): the link is locked.
 *
 * The passcode row is updated before the hold is deleted, the order every other statement that touches
 * both keeps, so two of them can never wait for each other.
 */
export const spendHeldAttempt = (
  db: Database,
  hold: AttemptHold,
  access: { at: Date; recipient: string },
): Promise<number | null> =>
  db.transaction().execute(async (trx) => {
    const spent = await sql<{ remaining: number }>`
      update shl_passcodes set remaining = remaining - 1, updated_at = ${access.at}
      where link_id = ${hold.linkId} and remaining > 0
      returning remaining`.execute(trx);
    await trx.deleteFrom('shl_passcode_holds').where('id', '=', hold.id).execute();
    const row = spent.rows[0];
    if (row === undefined) return null;
    await recordAccess(trx, {
      linkId: hold.linkId,
      at: access.at,
      recipient: access.recipient,
      path: 'manifest',
      outcome: 'wrong-passcode',
    });
    return Number(row.remaining);
  });
