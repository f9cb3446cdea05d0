import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { type RetentionPeriods, sweepRetention } from './sweep-retention.js';

export interface RetentionTimer {
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Runs the retention sweep now and then every `sweepMinutes` in the background (started by `startServer`,
 * never on import). A failed sweep is logged and tried again at the next tick; the timer never keeps the
 * process alive. Every server process may run one: the sweep is safe to run concurrently.
 */
export const startRetentionTimer = (deps: {
  db: Database;
  clock: Clock;
  periods: RetentionPeriods;
  sweepMinutes: number;
  logger?: FastifyBaseLogger | undefined;
}): RetentionTimer => {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const tick = () => {
    // A sweep that outlasts the interval is not run twice over in one process.
    if (stopped || busy) return;
    busy = true;
    running = sweepRetention(deps.db, new Date(deps.clock.now()), deps.periods)
      .then(
        (result) => {
          if (result.purged + result.erased > 0) deps.logger?.info(result, 'retention sweep');
        },
        (error: unknown) => {
          deps.logger?.error({ err: error }, 'retention sweep failed; it runs again at the next interval');
        },
      )
      .finally(() => {
        busy = false;
      });
  };
  if (deps.periods.retentionDays <= 0) return { stop: async () => {} };
  tick();
  const timer = setInterval(tick, deps.sweepMinutes * 60_000);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
};
