import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/schema.js';

/** One hit to count: a budget's window, and the client it is counted for. */
export interface Hit {
  /** The budget's name and the client (an address, a username), hashed into the row's key. */
  key: string;
  /** The fixed window's length in seconds. */
  windowSeconds: number;
}

/** What the counter says after a hit: the hits in the current window, this one included. */
export interface Count {
  key: string;
  hits: number;
  /** Epoch seconds when the window ends (and the count starts again). */
  windowEnd: number;
}

/** The row key: clients' addresses and usernames are never stored as such. */
export const rowKey = (key: string): string => createHash('sha256').update(key).digest('base64url');

/**
 * Counts one hit for each of `hits` in ONE statement (an UPSERT of one row per key), so that the check
 * costs a single round trip on the manifest path and every server process on the database counts into
 * the same rows. A fixed window per key: the row holds the window's end and its hits; a hit in a later
 * window starts the count again at 1. `greatest` keeps the newer window when a process whose clock lags
 * arrives late, so a lagging clock cannot reset a count (it counts into the current window). Keys must be
 * distinct: one statement cannot update a row twice.
 */
export const countHits = async (db: Database, hits: readonly Hit[], nowMs: number): Promise<Count[]> => {
  const nowSeconds = Math.floor(nowMs / 1000);
  const rows = hits.map((hit) => {
    const windowEnd = (Math.floor(nowSeconds / hit.windowSeconds) + 1) * hit.windowSeconds;
    return sql`(${rowKey(hit.key)}, cast(${windowEnd} as bigint), 1)`;
  });
  const result = await sql<{ key: string; hits: number; window_end: string | number | bigint }>`
    insert into shl_rate_limits as r (key, window_end, hits)
    values ${sql.join(rows)}
    on conflict (key) do update set
      hits = case when excluded.window_end > r.window_end then 1 else r.hits + 1 end,
      window_end = greatest(r.window_end, excluded.window_end)
    returning key, hits, window_end`.execute(db);
  const byRowKey = new Map(result.rows.map((row) => [row.key, row]));
  return hits.map((hit) => {
    const row = byRowKey.get(rowKey(hit.key));
    // The statement returns one row per inserted or updated key: a missing one is a database fault.
    if (row === undefined) throw new Error('rate-limit counter returned no row');
    return { key: hit.key, hits: Number(row.hits), windowEnd: Number(row.window_end) };
  });
};

/**
 * The hits already counted for `key` in the window that holds `nowMs`, counting none: 0 when the row is
 * missing or its window has ended. One indexed read (the primary key).
 */
export const peekHits = async (db: Database, key: string, nowMs: number): Promise<Count> => {
  const row = await db
    .selectFrom('shl_rate_limits')
    .select(['hits', 'window_end'])
    .where('key', '=', rowKey(key))
    .executeTakeFirst();
  const windowEnd = row === undefined ? 0 : Number(row.window_end);
  const live = row !== undefined && windowEnd > Math.floor(nowMs / 1000);
  return { key, hits: live ? Number(row.hits) : 0, windowEnd };
};

/** Drops the rows of windows that have ended (their counts start again anyway). Returns how many. */
export const purgeEndedWindows = async (db: Database, nowMs: number): Promise<number> => {
  const result = await db
    .deleteFrom('shl_rate_limits')
    .where('window_end', '<=', Math.floor(nowMs / 1000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
};
