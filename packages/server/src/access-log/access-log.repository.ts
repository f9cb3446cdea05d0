import type { Access } from '@shlkit/api';
import { sql } from 'kysely';
import type { AccessOutcome, AccessPath, Database } from '../db/schema.js';

export interface AccessEntry {
  linkId: string;
  at: Date;
  recipient: string | null;
  path: AccessPath;
  outcome: AccessOutcome;
  fileId?: string | null;
}

/**
 * Writes one access row. Callers pass the transaction that also carries the outcome (an attempt spent, a
 * ticket issued), so the log and what happened commit together or not at all.
 */
export const recordAccess = async (db: Database, entry: AccessEntry): Promise<void> => {
  await db
    .insertInto('shl_access_log')
    .values({
      link_id: entry.linkId,
      at: entry.at,
      recipient: entry.recipient,
      path: entry.path,
      outcome: entry.outcome,
      file_id: entry.fileId ?? null,
    })
    .execute();
};

/**
 * Like `recordAccess`, but writes nothing when no link has this id (one statement, no read-then-write).
 * The public endpoints log through it for unknown and inactive links alike, so that both take the same
 * statement and cannot be told apart by the work done (see manifests/manifest.service.ts).
 */
export const recordAccessToKnownLink = async (db: Database, entry: AccessEntry): Promise<void> => {
  await db
    .insertInto('shl_access_log')
    .columns(['link_id', 'at', 'recipient', 'path', 'outcome', 'file_id'])
    .expression(
      db
        .selectFrom('shl_links')
        .select([
          'id',
          sql<Date>`cast(${entry.at} as timestamptz)`.as('at'),
          // A link whose personal data the retention sweep erased is logged without names from then on.
          sql<
            string | null
          >`case when personal_purged_at is null then cast(${entry.recipient} as text) end`.as('recipient'),
          sql<string>`cast(${entry.path} as text)`.as('path'),
          sql<string>`cast(${entry.outcome} as text)`.as('outcome'),
          sql<string | null>`cast(${entry.fileId ?? null} as text)`.as('file_id'),
        ])
        .where('id', '=', entry.linkId),
    )
    .execute();
};

/** One access as the management API lists it (`@shlkit/api`). */
export type AccessView = Access;

type AccessRow = {
  id: string | number | bigint;
  at: Date;
  recipient: string | null;
  path: AccessPath;
  outcome: AccessOutcome;
  file_id: string | null;
};

const toAccessView = (row: AccessRow): AccessView => ({
  id: String(row.id),
  at: row.at.toISOString(),
  recipient: row.recipient,
  path: row.path,
  outcome: row.outcome,
  fileId: row.file_id,
});

/** The newest access id of a link, 0 when it has none: where a live stream starts by default. */
export const lastAccessId = async (db: Database, linkId: string): Promise<number> => {
  const row = await db
    .selectFrom('shl_access_log')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('link_id', '=', linkId)
    .executeTakeFirst();
  return row?.id === null || row?.id === undefined ? 0 : Number(row.id);
};

/** The accesses of a link after `afterId`, oldest first, at most `limit` (walks `shl_access_log_link`). */
export const listAccessesAfter = async (
  db: Database,
  linkId: string,
  afterId: number,
  limit = 100,
): Promise<AccessView[]> => {
  const rows = await db
    .selectFrom('shl_access_log')
    .select(['id', 'at', 'recipient', 'path', 'outcome', 'file_id'])
    .where('link_id', '=', linkId)
    .where('id', '>', afterId)
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  return rows.map(toAccessView);
};

/** Newest first. */
export const listAccesses = async (
  db: Database,
  linkId: string,
  options: { limit: number; beforeId?: number | undefined },
): Promise<AccessView[]> => {
  let query = db
    .selectFrom('shl_access_log')
    .select(['id', 'at', 'recipient', 'path', 'outcome', 'file_id'])
    .where('link_id', '=', linkId);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map(toAccessView);
};

/**
 * Logs a refused public request (`inactive`, `wrong-method`, ...) with `recordAccessToKnownLink`, one
 * statement whose commit waits for the disk like every access-log row's (issue 13). An unknown id writes
 * no row, so its commit has nothing to flush and returns sooner: the uniform 404 of an inactive link takes
 * one flush longer. The time floor under every 404 (manifests/uniform-not-found.ts,
 * SHL_NOT_FOUND_FLOOR_MS) is what keeps the two alike; equal work alone does not.
 */
export const recordRefusedAccess = async (db: Database, entry: AccessEntry): Promise<void> => {
  await recordAccessToKnownLink(db, entry);
};
