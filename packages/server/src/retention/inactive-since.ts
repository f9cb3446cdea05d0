import { type RawBuilder, sql } from 'kysely';

/**
 * Since when `l` has been inactive at `now`, or null while it is active: the earliest instant one of the
 * access rule's inactive states (access-rule/access-rule.ts) began. Deactivated or deleted: the earlier of
 * the two times; expired: its `exp`; used up: its last served access (later refused tries do not move it);
 * locked: when its passcode row last changed (the last wrong guess). Reads `l` and `p` (shl_passcodes, left
 * joined on the link id).
 */
export const inactiveSinceSql = (now: Date): RawBuilder<Date | null> => sql<Date | null>`least(
  case when l.revoked_at is not null or l.deactivated_at is not null
    then least(l.revoked_at, l.deactivated_at) end,
  case when l.expires_at is not null and l.expires_at <= ${Math.floor(now.getTime() / 1000)}
    then to_timestamp(l.expires_at) end,
  case when l.max_uses is not null and l.uses >= l.max_uses
    then (select max(g.at) from shl_access_log g where g.link_id = l.id and g.outcome = 'ok') end,
  case when p.remaining is not null and p.remaining <= 0 then p.updated_at end)`;

/** The FROM clause `inactiveSinceSql` reads. */
export const LINK_WITH_STATE = sql`shl_links l left join shl_passcodes p on p.link_id = l.id`;
