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
