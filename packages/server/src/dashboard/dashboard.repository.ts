import type { DashboardCounts, RecentAccess } from '@shlkit/api';
import { sql } from 'kysely';
import { linkStatusSql } from '../access-rule/access-rule.js';
import type { AccessOutcome, AccessPath, Database } from '../db/schema.js';

/** "Recently" and "soon" on the dashboard: 7 days, in seconds. */
export const DASHBOARD_WINDOW_SECONDS = 7 * 24 * 3600;

// The key of the index shl_links_expiry (migration 0007), written exactly as there so that a range on it
// walks the index: no expiry sorts as the latest possible.
const EXPIRY_KEY = sql<number>`coalesce(l.expires_at, 100000000000000)`;

/**
 * Links with their passcode row only when it has no attempts left (the index shl_passcodes_spent holds
 * just those rows). The status rule reads `p` only to tell `locked`, so it gives every link the same
 * status as over the full join, while the join reads the few spent passcodes, not all of them.
 */
const LINK_WITH_SPENT_PASSCODE = sql`shl_links l
  left join shl_passcodes p on p.link_id = l.id and p.remaining <= 0`;

/**
 * The counts as one statement, so that they all read one snapshot (they add up). Each count walks an index
 * holding only the links it is about (migration 0008: shl_links_revoked, shl_links_used_up,
 * shl_links_opened, shl_passcodes_spent) or a range of one (shl_links_created_at, shl_links_expiry), and
 * then decides the status with the one status rule (`linkStatusSql`): a link both locked and expired
 * counts once, as locked, as `GET /api/links?status=` lists it. `active` is what is left of the total.
 */
export const dashboardCountsQuery = (db: Database, now: Date) => {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const status = linkStatusSql(now);
  const weekAgo = new Date(now.getTime() - DASHBOARD_WINDOW_SECONDS * 1000);
  return sql<{
    total: string | number;
    created_last_7_days: string | number;
    opened: string | number;
    revoked: string | number;
    locked: string | number;
    used_up: string | number;
    expired: string | number;
    expiring_soon: string | number;
  }>`select
    (select count(*) from shl_links) as total,
    (select count(*) from shl_links where created_at > ${weekAgo}) as created_last_7_days,
    (select count(*) from shl_links where uses > 0) as opened,
    (select count(*) from shl_links where revoked_at is not null or deactivated_at is not null) as revoked,
    (select count(*) from shl_passcodes p join shl_links l on l.id = p.link_id
      where p.remaining <= 0 and ${status} = 'locked') as locked,
    (select count(*) from ${LINK_WITH_SPENT_PASSCODE}
      where l.max_uses is not null and l.uses >= l.max_uses and ${status} = 'used-up') as used_up,
    (select count(*) from ${LINK_WITH_SPENT_PASSCODE}
      where ${EXPIRY_KEY} <= ${nowSeconds} and ${status} = 'expired') as expired,
    (select count(*) from ${LINK_WITH_SPENT_PASSCODE}
      where ${EXPIRY_KEY} > ${nowSeconds} and ${EXPIRY_KEY} <= ${nowSeconds + DASHBOARD_WINDOW_SECONDS}
        and ${status} = 'active') as expiring_soon`.compile(db);
};

/** Link counts by status, created, opened and expiring soon, at `now`. */
export const countLinks = async (db: Database, now: Date): Promise<DashboardCounts> => {
  const { rows } = await db.executeQuery(dashboardCountsQuery(db, now));
  const row = rows[0];
  if (row === undefined) throw new Error('a select without from answers one row');
  const [total, createdLast7Days, opened, revoked, locked, usedUp, expired, expiringSoon] = [
    row.total,
    row.created_last_7_days,
    row.opened,
    row.revoked,
    row.locked,
    row.used_up,
    row.expired,
    row.expiring_soon,
  ].map(Number) as [number, number, number, number, number, number, number, number];
  return {
    created: { total, last7Days: createdLast7Days },
    opened,
    active: total - revoked - locked - usedUp - expired,
    expired,
    revoked,
    locked,
    usedUp,
    expiringSoon,
  };
};

/**
 * The newest accesses across all links, newest first, each with its link's label: the access log's
 * primary key walked backwards, `limit` rows, each joined to its link by the links' primary key.
 */
export const recentAccessesQuery = (db: Database, limit: number) =>
  db
    .selectFrom('shl_access_log as a')
    .innerJoin('shl_links as l', 'l.id', 'a.link_id')
    .select(['a.id', 'a.link_id', 'l.label', 'a.at', 'a.recipient', 'a.path', 'a.outcome'])
    .orderBy('a.id', 'desc')
    .limit(limit);

export const listRecentAccesses = async (db: Database, limit: number): Promise<RecentAccess[]> => {
  const rows = await recentAccessesQuery(db, limit).execute();
  return rows.map((row) => ({
    id: String(row.id),
    linkId: row.link_id,
    label: row.label,
    at: row.at.toISOString(),
    recipient: row.recipient,
    path: row.path satisfies AccessPath,
    outcome: row.outcome satisfies AccessOutcome,
  }));
};
