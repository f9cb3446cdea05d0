import { sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { computeStatus, type LinkStatus } from '../links/link-status.js';

/** What the public endpoints need to know about a link: no counts, no key. */
export interface PublicLink {
  id: string;
  flags: string;
  status: LinkStatus;
  passcode: { hash: string; remaining: number } | null;
}

export const findPublicLink = async (
  db: Database,
  id: string,
  nowSeconds: number,
): Promise<PublicLink | undefined> => {
  const row = await db
    .selectFrom('shl_links as l')
    .leftJoin('shl_passcodes as p', 'p.link_id', 'l.id')
    .select(['l.id', 'l.flags', 'l.expires_at', 'l.deactivated_at', 'l.revoked_at', 'p.hash', 'p.remaining'])
    .where('l.id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const remaining = row.remaining === null ? null : Number(row.remaining);
  return {
    id: row.id,
    flags: row.flags,
    status: computeStatus(
      {
        revokedAt: row.revoked_at,
        deactivatedAt: row.deactivated_at,
        expiresAt: row.expires_at === null ? null : Number(row.expires_at),
        remainingAttempts: remaining,
      },
      nowSeconds,
    ),
    passcode: row.hash === null || remaining === null ? null : { hash: row.hash, remaining },
  };
};

/**
 * Inside the serving transaction: is the link still active? The link row (and its passcode row) are read
 * with a share lock, so a revocation or the last wrong passcode racing this request either commits first
 * (and this answers 404) or waits until this answer is logged.
 */
export const isStillActive = async (db: Database, id: string, nowSeconds: number): Promise<boolean> => {
  const link = await sql<{
    expires_at: string | number | null;
    deactivated_at: Date | null;
    revoked_at: Date | null;
  }>`
    select expires_at, deactivated_at, revoked_at from shl_links where id = ${id} for share`.execute(db);
  const row = link.rows[0];
  if (row === undefined) return false;
  const passcode = await sql<{ remaining: number }>`
    select remaining from shl_passcodes where link_id = ${id} for share`.execute(db);
  const remaining = passcode.rows[0] === undefined ? null : Number(passcode.rows[0].remaining);
  return (
    computeStatus(
      {
        revokedAt: row.revoked_at,
        deactivatedAt: row.deactivated_at,
        expiresAt: row.expires_at === null ? null : Number(row.expires_at),
        remainingAttempts: remaining,
      },
      nowSeconds,
    ) === 'active'
  );
};
