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
  /**
   * Every remaining attempt stayed held by other guesses until the deadline, or too many guesses at this
   * link were already waiting in this process: ask again shortly.
   */
  | { kind: 'busy' }
  /** The caller's signal aborted (the client went away) before a hold was taken: nothing held. */
  | { kind: 'aborted' };

export interface HoldOptions {
  /**
   * Milliseconds a hold lasts if nobody settles it, so that a process that crashed mid-compare cannot
   * hold a link's attempts for ever. Far above one scrypt compare (about 60 ms). A right guess whose hold
   * lapsed before it was served is not served (release-attempt.ts), so this bounds how long a crashed
   * process blocks a link, not how many compares run. Default 30 000.
   */
  holdMs: number;
  /** Milliseconds of the first pause between looks for a free attempt; each next pause doubles. Default 25. */
  pollMs: number;
  /** The longest pause between two looks (the doubling stops there). Default 200. */
  maxPollMs: number;
  /**
   * Milliseconds of elapsed (monotonic) time after which a waiting guess gives up as `busy`: a deadline,
   * not a count of pauses, so slow looks under load do not stretch it. A look already running when the
   * deadline passes finishes first, so the wait can overrun by one look. With one attempt left, guesses
   * are compared one at a time, so this also bounds how many right guesses at once are served before the
   * rest are told to come back. Default 15 000.
   */
  maxWaitMs: number;
  /**
   * How many guesses at one link may wait in this process per remaining attempt; one more is `busy` at
   * once. Default 64, so that the cap is `maxWaitersPerLink` whenever an attempt remains: a burst of right
   * passcodes from a clinic (issue 7: twenty at once on a one-attempt link) must all be served, not
   * refused, while a flood of hundreds still costs a refusal each.
   */
  waitersPerAttempt: number;
  /** The most guesses at one link that may wait in this process, however many attempts remain. Default 64. */
  maxWaitersPerLink: number;
  /** Monotonic milliseconds for the deadline; `performance.now` unless a test injects one. */
  elapsed?: () => number;
}

export const DEFAULT_HOLD_OPTIONS: Readonly<HoldOptions> = Object.freeze({
  holdMs: 30_000,
  pollMs: 25,
  maxPollMs: 200,
  maxWaitMs: 15_000,
  waitersPerAttempt: 64,
  maxWaitersPerLink: 64,
});

interface HoldDeps {
  db: Database;
  clock: Clock;
  random: Random;
}

/**
 * Guesses waiting for a free attempt in this process, per link. In-process memory on purpose: it only
 * bounds this process's own work (sleeping requests and their polling queries), so each process keeping
 * its own count is right. The invariant that matters, how many attempts are held and spent, stays in the
 * database, which every process shares.
 */
const waiting = new Map<string, number>();

/** How many guesses at this link are waiting for a free attempt in this process now. */
export const waitingGuesses = (linkId: string): number => waiting.get(linkId) ?? 0;

const BUSY: HoldResult = { kind: 'busy' };
const INACTIVE: HoldResult = { kind: 'inactive' };
const ABORTED: HoldResult = { kind: 'aborted' };

/**
 * Takes one of the link's remaining passcode attempts for a guess about to be compared, waiting while all
 * of them are held by other guesses.
 *
 * Why hold before comparing: SHL keeps a lifetime count of wrong passcodes, correct under parallel
 * requests. If guesses were compared first and counted after, fifty guesses sent at once at a link with
 * five attempts left would all be compared before any was counted: fifty tries for five attempts. Holding
 * first means at most `remaining` guesses are compared at any one time (while their holds last), so each
 * compare is backed by an attempt that a wrong answer will spend.
 *
 * Why a hold and not a spent attempt: a right passcode must never be turned away while attempts remain.
 * When a guess spent its attempt up front and got it back only if right, twenty right passcodes at once at
 * a five-attempt link found the count at 0 for fifteen of them and got 404. A hold is given back by a right
 * guess and spent only by a wrong one, so the lifetime count (`remaining`) only ever moves for wrong
 * passcodes, and the owner never sees a link `locked` by guesses that turn out right.
 *
 * Why wait rather than refuse: when every remaining attempt is held, the guesses holding them may all be
 * right, and then this one deserves an answer too. It looks again after 25, 50, 100, then every 200 ms
 * until an attempt is free, the link stops being active (the held guesses were wrong and locked it: 404),
 * the deadline `maxWaitMs` passes (`busy`; the caller answers 429 with Retry-After), or `signal` aborts
 * (the client went away: `aborted`, nothing held). Waiting is bounded per process: at most
 * `waitersPerAttempt` x `remaining` (and `maxWaitersPerLink`) guesses at one link wait at once; the next
 * one is `busy` at once, so a flood of guesses costs a refusal each, not a sleeping request polling the
 * database.
 *
 * The holds live in the database (`shl_passcode_holds`), so every server process sharing it counts them.
 * Each hold carries an expiry (`holdMs`) so that a crashed process's holds lapse. Expiry is read and
 * written with the database's clock (`statement_timestamp()`), never a process's own: a process whose clock
 * ran ahead would otherwise take other processes' live holds for lapsed and delete them.
 */
export const holdPasscodeAttempt = async (
  deps: HoldDeps,
  linkId: string,
  options: HoldOptions = DEFAULT_HOLD_OPTIONS,
  signal?: AbortSignal,
): Promise<HoldResult> => {
  const elapsed = options.elapsed ?? (() => performance.now());
  const deadline = elapsed() + options.maxWaitMs;
  let pause = options.pollMs;
  let isWaiter = false;
  try {
    for (;;) {
      if (signal?.aborted) return ABORTED;
      const look = await lookForFreeAttempt(deps.db, linkId, new Date(deps.clock.now()));
      if (look.state === 'inactive') return INACTIVE;
      if (signal?.aborted) return ABORTED;
      if (look.state === 'free') {
        const taken = await takeAttempt(deps, linkId, new Date(deps.clock.now()), options.holdMs);
        if (taken !== 'full') return taken;
      }
      if (!isWaiter) {
        const allowed = Math.min(options.maxWaitersPerLink, options.waitersPerAttempt * look.remaining);
        const already = waitingGuesses(linkId);
        if (already >= allowed) return BUSY;
        waiting.set(linkId, already + 1);
        isWaiter = true;
      }
      const left = deadline - elapsed();
      if (left <= 0) return BUSY;
      if (!(await pauseUnlessAborted(Math.min(pause, left), signal))) return ABORTED;
      pause = Math.min(pause * 2, options.maxPollMs);
    }
  } finally {
    if (isWaiter) {
      const still = waitingGuesses(linkId) - 1;
      if (still > 0) waiting.set(linkId, still);
      else waiting.delete(linkId);
    }
  }
};

/** Sleeps `ms`; false as soon as `signal` aborts (at once if it already has). */
const pauseUnlessAborted = async (ms: number, signal: AbortSignal | undefined): Promise<boolean> => {
  if (signal?.aborted) return false;
  try {
    await sleep(ms, undefined, signal === undefined ? undefined : { signal });
    return true;
  } catch (error) {
    if (signal?.aborted) return false;
    throw error;
  }
};

/**
 * One cheap statement, no lock: is the link active, and are fewer attempts held than remain. It also
 * clears this link's lapsed holds; it holds no passcode row lock while it does, so it cannot deadlock with
 * a guess settling its own hold. `now` is the app's clock, for the link's `exp` (the access rule);
 * hold expiry is the database's clock.
 */
const lookForFreeAttempt = async (
  db: Database,
  linkId: string,
  now: Date,
): Promise<{ state: 'inactive' | 'free' | 'full'; remaining: number }> => {
  const result = await sql<{ status: LinkStatus; remaining: number; held: string | number }>`
    with lapsed as (
      delete from shl_passcode_holds where link_id = ${linkId} and expires_at <= statement_timestamp()
    )
    select ${linkStatusSql(now)} as status, p.remaining,
      (select count(*) from shl_passcode_holds h
        where h.link_id = l.id and h.expires_at > statement_timestamp()) as held
    from shl_links l join shl_passcodes p on p.link_id = l.id
    where l.id = ${linkId}`.execute(db);
  const row = result.rows[0];
  if (row === undefined || row.status !== 'active') return { state: 'inactive', remaining: 0 };
  const remaining = Number(row.remaining);
  return { state: Number(row.held) < remaining ? 'free' : 'full', remaining };
};

/**
 * Takes a hold if one is still free. The passcode row is locked first (FOR UPDATE), so guesses at one
 * link take holds one at a time in every process; the count runs in a second statement, which in READ
 * COMMITTED sees every hold committed before the lock was granted (and whose `statement_timestamp()` is
 * after the lock wait).
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
    if (link === undefined || link.status !== 'active') return INACTIVE;
    const id = randomToken(deps.random, 16);
    const held = await sql<{ id: string }>`
      insert into shl_passcode_holds (id, link_id, expires_at)
      select ${id}, ${linkId},
        statement_timestamp() + cast(${holdMs} as double precision) * interval '1 millisecond'
      where (select count(*) from shl_passcode_holds h
        where h.link_id = ${linkId} and h.expires_at > statement_timestamp()) < ${Number(link.remaining)}
      returning id`.execute(trx);
    if (held.rows.length === 0) return 'full';
    return { kind: 'held', hold: { id, linkId, hash: link.hash } } as const;
  });
