import { sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { inactiveSinceSql, LINK_WITH_STATE } from './inactive-since.js';

export interface RetentionPeriods {
  /** Purge the files of links inactive this many days; 0 turns retention off. */
  retentionDays: number;
  /** Erase labels and recipient names of links inactive this many days (>= retentionDays); 0 keeps them. */
  retentionPersonalDays: number;
}

export interface SweepResult {
  /** Links whose files this sweep purged. */
  purged: number;
  /** Links whose label and recipient names this sweep erased. */
  erased: number;
}

const DAY_MS = 86_400_000;
const BATCH_SIZE = 100;

/**
 * One batch of the first step, in one statement: up to `limit` links inactive since before `cutoff` lose
 * their files (and so their `location` tickets), and become deleted for good (`revoked_at`, so that no
 * change can make them active again with nothing to serve) with `purged_at` set. Rows another process is
 * sweeping are skipped (SKIP LOCKED), and a purged link no longer matches: safe to run anywhere, any time.
 */
const purgeFiles = async (db: Database, now: Date, cutoff: Date, limit: number): Promise<number> => {
  const result = await sql<{ n: string | number }>`
    with due as (
      select l.id from ${LINK_WITH_STATE}
      where l.purged_at is null and ${inactiveSinceSql(now)} < ${cutoff}
      order by l.seq
      limit ${limit}
      for update of l skip locked
    ),
    files as (delete from shl_files f using due d where f.link_id = d.id returning f.id),
    links as (
      update shl_links l set purged_at = ${now}, revoked_at = coalesce(l.revoked_at, ${now})
      from due d where l.id = d.id
      returning l.id
    )
    select (select count(*) from links) as n, (select count(*) from files) as files`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
};

/**
 * One batch of the second step, in one statement: links purged and inactive since before `cutoff` lose
 * their label and the recipient names of their access log. The rows stay (path, outcome, time), so the
 * owner's counts do not change. Later accesses to such a link are logged without a name
 * (access-log/access-log.repository.ts).
 */
const erasePersonal = async (db: Database, now: Date, cutoff: Date, limit: number): Promise<number> => {
  const result = await sql<{ n: string | number }>`
    with due as (
      select l.id from ${LINK_WITH_STATE}
      where l.purged_at is not null and l.personal_purged_at is null and ${inactiveSinceSql(now)} < ${cutoff}
      order by l.seq
      limit ${limit}
      for update of l skip locked
    ),
    names as (
      update shl_access_log g set recipient = null
      from due d where g.link_id = d.id and g.recipient is not null
      returning g.id
    ),
    links as (
      update shl_links l set label = null, personal_purged_at = ${now}
      from due d where l.id = d.id
      returning l.id
    )
    select (select count(*) from links) as n, (select count(*) from names) as names`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
};

/**
 * Runs the retention sweep to the end at `now`: purges the files of links inactive for `retentionDays`,
 * then erases the labels and recipient names of links inactive for `retentionPersonalDays`, a batch (one
 * statement, one short transaction) at a time. Idempotent and safe with several processes sweeping the
 * same database at once; nothing to do when `retentionDays` is 0.
 */
export const sweepRetention = async (
  db: Database,
  now: Date,
  periods: RetentionPeriods,
  options: { batchSize?: number } = {},
): Promise<SweepResult> => {
  const result: SweepResult = { purged: 0, erased: 0 };
  if (periods.retentionDays <= 0) return result;
  const limit = options.batchSize ?? BATCH_SIZE;
  const fileCutoff = new Date(now.getTime() - periods.retentionDays * DAY_MS);
  for (;;) {
    const purged = await purgeFiles(db, now, fileCutoff, limit);
    result.purged += purged;
    if (purged < limit) break;
  }
  if (periods.retentionPersonalDays <= 0) return result;
  const personalCutoff = new Date(now.getTime() - periods.retentionPersonalDays * DAY_MS);
  for (;;) {
    const erased = await erasePersonal(db, now, personalCutoff, limit);
    result.erased += erased;
    if (erased < limit) break;
  }
  return result;
};
