import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { type LinkStatus, linkStatusSql } from '../access-rule/access-rule.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { type Random, randomToken } from '../random.js';

/**
 * A passcode guess holding one of the link's remaining attempts while it is compared. A wrong guess turns
 * its hold into a spent attempt (spend-attempt.ts), a right one lets it go (release-attempt.ts).
 */
export interface AttemptHold {
  id: string;
  linkId: string;
  /** The stored passcode hash to compare the guess with, as it was when the hold was taken. */
  hash: string;
}

export type HoldResult =
  | { kind: 'held'; hold: AttemptHold }
  /** The link is not active (or no longer has a passcode): the uniform 404, no attempt touched. */
  | { kind: 'inactive' }
  /** Every remaining attempt stayed held by other guesses for the whole wait: ask again shortly. */
  | { kind: 'busy' };

export interface HoldOptions {
  /**
   * Milliseconds a hold lasts if nobody settles it, so that a process that crashed mid-compare cannot
   * hold a link's attempts for ever. Far above one scrypt compare (about 60 ms). Default 30 000.
   */
  holdMs: number;
  /** Milliseconds between looks for a free attempt while other guesses are being compared. Default 25. */
  pollMs: number;
  /**
   * Milliseconds a guess pauses in all, waiting for a free attempt, before it gives up as `busy`. Counted
   * in pauses, so the wall time is a little longer when the database is slow. With one attempt left,
   * guesses are compared one at a time, so this also bounds how many right guesses at once are served
   * before the rest are told to come back: roughly `maxWaitMs` / (one compare plus a few round trips),
   * a hundred or more on an idle server. Default 15 000.
   */
  maxWaitMs: number;
}

export const DEFAULT_HOLD_OPTIONS: Readonly<HoldOptions> = Object.freeze({
  holdMs: 30_000,
  pollMs: 25,
  maxWaitMs: 15_000,
});

interface HoldDeps {
  db: Database;
  clock: Clock;
  random: Random;
}

/**
 * Takes one of the link's remaining passcode attempts for a guess about to be compared, waiting while all
 * of them are held by other guesses.
 *
 * Why hold before comparing: SHL keeps a lifetime count of wrong passcodes, correct under parallel
 * requests. If guesses were compared first and counted after, fifty guesses sent at once at a link with
 * five attempts left would all be compared before any was counted: fifty tries for five attempts. Holding
 * first means at most `remaining` guesses are compared at any one time, so each compare is backed by an
 * attempt that a wrong answer will spend.
 *
 * Why a hold and not a spent attempt: a right passcode must never be turned away while attempts remain.
 * When a guess spent its attempt up front and got it back only if right, twenty right passcodes at once at
 * a five-attempt link found the count at 0 for fifteen of them and got 404. A hold is given back by a right
 * guess and spent only by a wrong one, so the lifetime count (`remaining`) only ever moves for wrong
 * passcodes, and the owner never sees a link `locked` by guesses that turn out right.
 *
 * Why wait rather than refuse: when every remaining attempt is held, the guesses holding them may all be
 * right, and then this one deserves an answer too. It looks again every `pollMs` until an attempt is
 * free, the link stops being active (the held guesses were wrong and locked it: 404), or `maxWaitMs` have
 * passed (`busy`; the caller answers 429 with Retry-After).
 *
 * The holds live in the database (`shl_passcode_holds`), so every server process sharing it counts them.
 * Each hold carries an expiry (`holdMs`) so that a crashed process's holds lapse.
 */
export const holdPasscodeAttempt = async (
  deps: HoldDeps,
  linkId: string,
  options: HoldOptions = DEFAULT_HOLD_OPTIONS,
): Promise<HoldResult> => {
  for (let waited = 0; ; waited += options.pollMs) {
    const now = new Date(deps.clock.now());
    const look = await lookForFreeAttempt(deps.db, linkId, now);
    if (look === 'inactive') return { kind: 'inactive' };
    if (look === 'free') {
      const taken = await takeAttempt(deps, linkId, now, options.holdMs);
      if (taken !== 'full') return taken;
    }
    if (waited >= options.maxWaitMs) return { kind: 'busy' };
    await sleep(options.pollMs);
  }
};

/**
 * One cheap statement, no lock: is the link active, and are fewer attempts held than remain. It also
 * clears this link's lapsed holds; it holds no passcode row lock while it does, so it cannot deadlock with
 * a guess settling its own hold.
 */
const lookForFreeAttempt = async (
  db: Database,
  linkId: string,
  now: Date,
): Promise<'inactive' | 'free' | 'full'> => {
  const result = await sql<{ status: LinkStatus; remaining: number; held: string | number }>`
    with lapsed as (
      delete from shl_passcode_holds where link_id = ${linkId} and expires_at <= ${now}
    )
    select ${linkStatusSql(now)} as status, p.remaining,
      (select count(*) from shl_passcode_holds h where h.link_id = l.id and h.expires_at > ${now}) as held
    from shl_links l join shl_passcodes p on p.link_id = l.id
    where l.id = ${linkId}`.execute(db);
  const row = result.rows[0];
  if (row === undefined || row.status !== 'active') return 'inactive';
  return Number(row.held) < Number(row.remaining) ? 'free' : 'full';
};

/**
 * Takes a hold if one is still free. The passcode row is locked first (FOR UPDATE), so guesses at one
 * link take holds one at a time in every process; the count runs in a second statement, which in READ
 * COMMITTED sees every hold committed before the lock was granted.
 */
const takeAttempt = (
  deps: HoldDeps,
  linkId: string,
  now: Date,
  holdMs: number,
): Promise<HoldResult | 'full'> =>
  deps.db.transaction().execute(async (trx) => {
    const locked = await sql<{ status: LinkStatus; remaining: number; hash: string }>`
      select ${linkStatusSql(now)} as status, p.remaining, p.hash
      from shl_links l join shl_passcodes p on p.link_id = l.id
      where l.id = ${linkId}
      for update of p`.execute(trx);
    const link = locked.rows[0];
    if (link === undefined || link.status !== 'active') return { kind: 'inactive' } as const;
    const id = randomToken(deps.random, 16);
    const held = await sql<{ id: string }>`
      insert into shl_passcode_holds (id, link_id, expires_at)
      select ${id}, ${linkId}, ${new Date(now.getTime() + holdMs)}
      where (select count(*) from shl_passcode_holds h
        where h.link_id = ${linkId} and h.expires_at > ${now}) < ${Number(link.remaining)}
      returning id`.execute(trx);
    if (held.rows.length === 0) return 'full';
    return { kind: 'held', hold: { id, linkId, hash: link.hash } } as const;
  });
