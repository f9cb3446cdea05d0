import { type RawBuilder, sql } from 'kysely';

/**
 * A link's status for its owner. Receivers never see it: every status but `active` reads as one uniform
 * 404. A deactivated link (reversible) and a deleted one (for good) both show as `revoked`; the view's
 * `deactivatedAt`/`revokedAt` tell which.
 */
export type LinkStatus = 'active' | 'expired' | 'revoked' | 'locked';

export interface StatusFacts {
  revokedAt: Date | null;
  deactivatedAt: Date | null;
  expiresAt: number | null;
  remainingAttempts: number | null;
}

export const computeStatus = (facts: StatusFacts, nowSeconds: number): LinkStatus => {
  if (facts.revokedAt !== null || facts.deactivatedAt !== null) return 'revoked';
  if (facts.remainingAttempts !== null && facts.remainingAttempts <= 0) return 'locked';
  if (facts.expiresAt !== null && facts.expiresAt <= nowSeconds) return 'expired';
  return 'active';
};

/** The same rule in SQL, for filtering lists; `l` is shl_links and `p` the left-joined shl_passcodes. */
export const statusSql = (nowSeconds: number): RawBuilder<LinkStatus> => sql<LinkStatus>`(case
  when l.revoked_at is not null or l.deactivated_at is not null then 'revoked'
  when p.remaining is not null and p.remaining <= 0 then 'locked'
  when l.expires_at is not null and l.expires_at <= ${nowSeconds} then 'expired'
  else 'active' end)`;
