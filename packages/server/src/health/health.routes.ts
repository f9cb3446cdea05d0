import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBodySchema } from '@shlkit/api';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { migrationsDone } from '../db/migrations.js';
import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';

export interface HealthRouteOptions {
  db: Database;
  /** Milliseconds `/readyz` waits for the database before it answers 503 (DB_CONNECT_TIMEOUT_MS). */
  readyTimeoutMs: number;
}

/** Rejects with `SHL_UNAVAILABLE` when `work` takes longer than `ms`; the timer never outlives the race. */
const within = async <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new ServerError('SHL_UNAVAILABLE', `the database did not answer within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Probes for orchestrators and load balancers:
 * - `GET /healthz`, liveness: the process is up and answers HTTP. It never touches the database, so a
 *   database outage does not get healthy processes restarted (which would not bring the database back).
 * - `GET /readyz`, readiness: the database answers within `readyTimeoutMs` and every migration of this
 *   version has run; else 503 `SHL_UNAVAILABLE` with `Retry-After`, so that a balancer sends traffic
 *   elsewhere until it recovers.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRouteOptions> = async (
  app,
  { db, readyTimeoutMs },
) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is up (the database is not asked)',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database answers and is migrated',
        response: { 200: Type.Object({ status: Type.Literal('ready') }), 503: ErrorBodySchema },
      },
    },
    async () => {
      const migrated = await within(
        (async () => {
          await sql`select 1`.execute(db);
          return migrationsDone(db);
        })(),
        readyTimeoutMs,
      );
      if (!migrated) throw new ServerError('SHL_UNAVAILABLE', 'the database is not migrated yet');
      return { status: 'ready' as const };
    },
  );
};
