import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';
import { countHits, peekHits } from './count-hits.js';

/**
 * The budgets, each a number of hits per fixed window per client:
 * - `public`: requests to `/shl/*` per client address per minute;
 * - `authFailure`: refused credentials (API key, session cookie) per client address per 15 minutes;
 * - `signIn`: sign-in attempts per client address per 15 minutes;
 * - `signInAccount`: sign-in attempts per username per 15 minutes, whatever the address.
 */
export type BudgetName = 'public' | 'authFailure' | 'signIn' | 'signInAccount';

interface Budget {
  limit: number;
  windowSeconds: number;
}

/** The budgets as the configuration sets them. */
export const budgetsOf = (
  config: Pick<
    Config,
    'rateLimitPublic' | 'rateLimitAuthFailures' | 'rateLimitSignIn' | 'rateLimitSignInAccount'
  >,
): Readonly<Record<BudgetName, Budget>> =>
  Object.freeze({
    public: { limit: config.rateLimitPublic, windowSeconds: 60 },
    authFailure: { limit: config.rateLimitAuthFailures, windowSeconds: 900 },
    signIn: { limit: config.rateLimitSignIn, windowSeconds: 900 },
    signInAccount: { limit: config.rateLimitSignInAccount, windowSeconds: 900 },
  });

/** One hit against a budget, for one client (an address, or a username for `signInAccount`). */
export interface BudgetHit {
  budget: BudgetName;
  client: string;
}

export interface RateLimiter {
  /**
   * Counts one hit of each budget for its client, in one statement, and lets the request go on only if
   * none is over its limit. Every hit is counted, refused ones too: a client that keeps asking while
   * refused keeps its window full.
   *
   * @throws ServerError `SHL_RATE_LIMITED` (429) with `retryAfterSeconds`, the seconds until the latest of
   *   the exceeded windows ends.
   */
  hit(...hits: BudgetHit[]): Promise<void>;
  /**
   * Refuses a client whose budget is already spent, counting nothing: for work too costly to do before
   * knowing (a signature check of an access token, which may fetch the issuer's keys). One read.
   *
   * @throws ServerError `SHL_RATE_LIMITED` (429) with `retryAfterSeconds` when the client's hits in the
   *   current window have reached the budget's limit.
   */
  check(hit: BudgetHit): Promise<void>;
}

export interface RateLimiterDeps {
  db: Database;
  clock: Clock;
  /** SHL_RATE_LIMIT: false makes `hit` a no-op that touches no database. */
  enabled: boolean;
  budgets: Readonly<Record<BudgetName, Budget>>;
}

const rateLimited = (retryAfter: number): ServerError =>
  new ServerError('SHL_RATE_LIMITED', `too many requests: ask again in ${retryAfter} s`, {
    retryAfterSeconds: retryAfter,
  });

/** The rate limiter every process on the database shares through `shl_rate_limits` (see count-hits.ts). */
export const createRateLimiter = (deps: RateLimiterDeps): RateLimiter => ({
  check: async ({ budget, client }) => {
    if (!deps.enabled) return;
    const now = deps.clock.now();
    const count = await peekHits(deps.db, `${budget}\u0000${client}`, now);
    if (count.hits >= deps.budgets[budget].limit) {
      throw rateLimited(Math.max(1, count.windowEnd - Math.floor(now / 1000)));
    }
  },
  hit: async (...hits) => {
    if (!deps.enabled || hits.length === 0) return;
    const now = deps.clock.now();
    const counts = await countHits(
      deps.db,
      hits.map(({ budget, client }) => ({
        key: `${budget}\u0000${client}`,
        windowSeconds: deps.budgets[budget].windowSeconds,
      })),
      now,
    );
    let retryAfter = 0;
    counts.forEach((count, index) => {
      const hit = hits[index];
      if (hit === undefined || count.hits <= deps.budgets[hit.budget].limit) return;
      retryAfter = Math.max(retryAfter, count.windowEnd - Math.floor(now / 1000));
    });
    if (retryAfter > 0) throw rateLimited(retryAfter);
  },
});
