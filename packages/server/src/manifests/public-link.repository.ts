import { sql } from 'kysely';
import { LINK_WITH_PASSCODE, type LinkStatus, linkStatusSql } from '../access-rule/access-rule.js';
import type { Database } from '../db/schema.js';

/** What the public endpoints need to know about a link: no counts, no key, no passcode hash. */
export interface PublicLink {
  id: string;
  flags: string;
  /** From the access rule, at the instant asked. */
  status: LinkStatus;
  /** The lifetime passcode attempts left, or null for a link without passcode. */
  remainingAttempts: number | null;
}

export const findPublicLink = async (
  db: Database,
  id: string,
  now: Date,
): Promise<PublicLink | undefined> => {
  const result = await sql<{ id: string; flags: string; status: LinkStatus; remaining: number | null }>`
    select l.id, l.flags, ${linkStatusSql(now)} as status, p.remaining
    from ${LINK_WITH_PASSCODE}
    where l.id = ${id}`.execute(db);
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return {
    id: row.id,
    flags: row.flags,
    status: row.status,
    remainingAttempts: row.remaining === null ? null : Number(row.remaining),
  };
};
