import { sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { isServerError } from '../errors.js';
import type { KeyWrapper } from './key-wrapper.js';

/** What a re-wrap pass did. */
export interface RewrapReport {
  /** Link keys moved to the current KEK by this pass. */
  rewrapped: number;
  /** Link keys already under the current KEK (untouched). */
  alreadyCurrent: number;
  /** Links whose key no KEK of the ring unwraps (their KEK id), left as they were. */
  failed: { linkId: string; kekId: string }[];
}

const BATCH_SIZE = 200;

/** `v1.<kek id>.<iv>.<body>`: the KEK id is the second dot-separated field. */
const KEK_ID_SQL = sql<string>`split_part(wrapped_key, '.', 2)`;

/**
 * Re-wraps every stored link key under the ring's current KEK (`shlkit rotate-kek`). Links stay the same:
 * their id, URL and link key do not change, only the wrapping at rest. Safe while servers run: each row is
 * written with a compare-and-set on the old wrapped value, so a row nobody else touched is moved exactly
 * once, and servers holding both keys (SHL_KEY_ENCRYPTION_KEY_PREVIOUS) read it before and after. Walks the
 * table in id order, a batch at a time, so it needs no long transaction and may be run again at any time:
 * a second run finds nothing to do.
 */
export const rewrapLinkKeys = async (
  db: Database,
  keys: KeyWrapper,
  options: { batchSize?: number } = {},
): Promise<RewrapReport> => {
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const report: RewrapReport = { rewrapped: 0, alreadyCurrent: 0, failed: [] };
  const current = await db
    .selectFrom('shl_links')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('wrapped_key', 'is not', null)
    .where(KEK_ID_SQL, '=', keys.currentKekId)
    .executeTakeFirstOrThrow();
  report.alreadyCurrent = Number(current.n);
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('shl_links')
      .select(['id', 'wrapped_key'])
      .where('wrapped_key', 'is not', null)
      .where(KEK_ID_SQL, '<>', keys.currentKekId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      const old = row.wrapped_key ?? '';
      let fresh: string;
      try {
        fresh = keys.wrap(row.id, keys.unwrap(row.id, old));
      } catch (error) {
        if (!isServerError(error) || error.code !== 'SHL_KEY_UNWRAP_FAILED') throw error;
        report.failed.push({ linkId: row.id, kekId: old.split('.')[1] ?? '' });
        continue;
      }
      const result = await db
        .updateTable('shl_links')
        .set({ wrapped_key: fresh })
        .where('id', '=', row.id)
        .where('wrapped_key', '=', old)
        .executeTakeFirst();
      if (result.numUpdatedRows > 0n) report.rewrapped += 1;
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < batchSize) break;
    after = last.id;
  }
  return report;
};
