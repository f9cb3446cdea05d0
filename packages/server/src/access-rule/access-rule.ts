import { type RawBuilder, sql } from 'kysely';
import type { AccessPath } from '../db/schema.js';

/**
 * The access rule: is a link active, and may this request be served. It is decided here and nowhere else,
 * in SQL, so that the statement that serves a link checks it at the instant it reads the files and writes
 * the access log (manifests/serve-active-link.ts), and so that the owner's view, the list filter, the
 * manifest POST, `location` file GETs and direct-file GETs can never disagree.
 *
 * Every fragment reads `l` (shl_links) and `p` (shl_passcodes, left-joined on `p.link_id = l.id`); build
 * the FROM clause with `LINK_WITH_PASSCODE` or the same aliases in Kysely.
 *
 * SHL: expired, revoked, locked and used-up links all read as one uniform 404 to receivers; only the owner
 * sees which it is.
 */

/**
 * A link's status for its owner. A deactivated link (reversible) and a deleted one (for good) both show as
 * `revoked`; the view's `deactivatedAt`/`revokedAt` tell which. `used-up`: the link has served its
 * `max_uses` manifest or direct-file answers. When several apply, the first in this order wins: revoked,
 * locked, used-up, expired.
 */
export type LinkStatus = 'active' | 'expired' | 'revoked' | 'locked' | 'used-up';

export const LINK_WITH_PASSCODE = sql`shl_links l left join shl_passcodes p on p.link_id = l.id`;

/**
 * SHL: `exp` is in epoch seconds, and a link is expired from the first instant of its `exp` second on: at
 * `exp * 1000 - 1` ms it is still active, at `exp * 1000` ms it is not (as with JWT `exp`, RFC 7519
 * section 4.1.4: "on or after"). Whole seconds, rounded down, so that one instant gives one answer.
 */
const epochSecondsAt = (now: Date): number => Math.floor(now.getTime() / 1000);

const USED_UP = sql<boolean>`(l.max_uses is not null and l.uses >= l.max_uses)`;

/**
 * The status of `l` at `now`. `locked` counts only attempts spent by wrong passcodes, never attempts held
 * by guesses still being compared (passcodes/hold-attempt.ts): a link is not locked by right guesses.
 */
export const linkStatusSql = (now: Date): RawBuilder<LinkStatus> => sql<LinkStatus>`(case
  when l.revoked_at is not null or l.deactivated_at is not null then 'revoked'
  when p.remaining is not null and p.remaining <= 0 then 'locked'
  when ${USED_UP} then 'used-up'
  when l.expires_at is not null and l.expires_at <= ${epochSecondsAt(now)} then 'expired'
  else 'active' end)`;

/** True when `l` is active at `now`: the one predicate for "is this link active". */
export const linkIsActiveSql = (now: Date): RawBuilder<boolean> =>
  sql<boolean>`(${linkStatusSql(now)} = 'active')`;

/** How a request has met the link's passcode, when the link has one. */
export type PasscodeProof =
  /** Nothing checked: only links without a passcode are served. */
  | { kind: 'none' }
  /**
   * The passcode was compared right against this stored hash. It serves only while the hash is still the
   * link's: a guess compared while the owner changed the passcode must not get in with the old one.
   */
  | { kind: 'verified'; hash: string }
  /** A `location` ticket, which only a manifest request that passed the passcode is issued. */
  | { kind: 'ticket' };

export interface AccessRequest {
  now: Date;
  path: AccessPath;
  passcode: PasscodeProof;
  /**
   * False serves only links without flag L: the caller has not checked how recently this recipient polled
   * (manifests/poll-wait.ts). Paths other than the manifest pass true: only manifest requests poll.
   */
  longTermChecked: boolean;
}

// SHL: a U link is a single file fetched by GET and has no manifest; every other link has no direct file.
const PATH_RULE: Readonly<Record<AccessPath, RawBuilder<boolean>>> = {
  manifest: sql<boolean>`position('U' in l.flags) = 0`,
  direct: sql<boolean>`position('U' in l.flags) > 0`,
  file: sql<boolean>`true`,
};

const passcodeRule = (proof: PasscodeProof): RawBuilder<boolean> => {
  switch (proof.kind) {
    case 'none':
      return sql<boolean>`p.link_id is null`;
    case 'verified':
      return sql<boolean>`(p.link_id is null or p.hash = ${proof.hash})`;
    case 'ticket':
      return sql<boolean>`true`;
  }
};

/**
 * A `location` GET is not a use: its ticket comes from a manifest answer that was counted, and lives at
 * most an hour. So a link that the manifest answer used up still serves that manifest's `location` files.
 */
const activeForPath = (request: AccessRequest): RawBuilder<boolean> =>
  request.path === 'file'
    ? sql<boolean>`(${linkStatusSql(request.now)} in ('active', 'used-up'))`
    : linkIsActiveSql(request.now);

/**
 * May this request be served: the link is active at `now` (for a `location` GET, a used-up link counts as
 * active), the path suits its flags, the passcode (if any) was met, and a long-term link's poll interval
 * was checked. The serving statement also counts the use under this same predicate
 * (`USE_LIMIT_ALLOWS`), so that parallel requests cannot pass the limit.
 */
export const mayServeSql = (request: AccessRequest): RawBuilder<boolean> => sql<boolean>`(
  ${activeForPath(request)}
  and ${PATH_RULE[request.path]}
  and ${passcodeRule(request.passcode)}
  and ${request.longTermChecked ? sql`true` : sql`position('L' in l.flags) = 0`})`;

/** True while `l` may still count one more use: the guard of the serving statement's increment. */
export const USE_LIMIT_ALLOWS = sql<boolean>`(l.max_uses is null or l.uses < l.max_uses)`;

/** Whether an answer on this path is a use: manifest and direct-file answers are, `location` GETs are not. */
export const countsAsUse = (path: AccessPath): boolean => path !== 'file';
