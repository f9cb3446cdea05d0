import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { purgeEndedWindows } from './count-hits.js';

/** How often ended windows are dropped: often enough that the table holds about one window of clients. */
export const RATE_LIMIT_SWEEP_INTERVAL_MS = 5 * 60_000;

/**
 * Starts dropping the counters of ended windows every `intervalMs` (the counts would start again anyway;
 * this only keeps `shl_rate_limits` to the clients of the current windows). Every process may sweep: the
 * DELETE is idempotent. The timer does not keep the process alive. Returns the function that stops it.
 */
export const startRateLimitSweep = (
  deps: { db: Database; clock: Clock; logger?: FastifyBaseLogger | undefined },
  intervalMs: number = RATE_LIMIT_SWEEP_INTERVAL_MS,
): (() => void) => {
  const timer = setInterval(() => {
    purgeEndedWindows(deps.db, deps.clock.now()).catch((error: unknown) => {
      // A database that is away now is swept at the next tick; nothing depends on this one.
      deps.logger?.warn({ err: error }, 'rate-limit sweep failed');
    });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};
