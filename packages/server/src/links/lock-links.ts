import { type CompiledQuery, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Locks these links' rows (`FOR NO KEY UPDATE`) until the transaction `trx` ends, in id order. Call it
 * first in a transaction that serves and counts uses, or that deletes or replaces a link's files (whose
 * `location` tickets a serving transaction inserts after taking this lock):
 * - a revocation, deactivation, new expiry or new use limit that committed while we waited for the lock
 *   is seen by the statements that follow (READ COMMITTED takes a new snapshot per statement, while one
 *   statement that waits on a row lock goes on with the snapshot it started with and re-checks only its
 *   UPDATE's own WHERE), so the access rule is applied to the link as it is now, not as it was;
 * - nobody changes them until we commit, so what the serving statement counts is exact;
 * - two transactions locking overlapping sets take them in the same order and cannot deadlock.
 * Ids of no link lock nothing. `FOR NO KEY UPDATE` does not block inserts that reference the link (access
 * rows, tickets).
 */
export const lockLinks = async (trx: Database, linkIds: readonly string[]): Promise<void> => {
  if (linkIds.length === 0) return;
  await trx.executeQuery(lockLinksStatement(trx, linkIds));
};

/**
 * The statement of `lockLinks`, compiled for `runTransaction` (db/one-round-trip.ts) to send as the first
 * of a transaction. Its text is the same for any number of ids (they go as one JSON parameter), so it
 * can stay prepared. `= any(array(...))` rather than `in (select ...)`: the planner then looks each id up
 * in the primary key, where a set-returning function's guess of 100 rows could choose a scan of the table.
 */
export const lockLinksStatement = (db: Database, linkIds: readonly string[]): CompiledQuery =>
  sql`select id from shl_links
    where id = any(array(select jsonb_array_elements_text(cast(${JSON.stringify([...new Set(linkIds)])} as jsonb))))
    order by id
    for no key update`.compile(db);
