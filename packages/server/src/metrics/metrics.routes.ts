import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ServerError } from '../errors.js';
import { type AppMetrics, UNMATCHED_ROUTE } from './metrics.js';

const sameToken = (sent: string, expected: string): boolean =>
  timingSafeEqual(createHash('sha256').update(sent).digest(), createHash('sha256').update(expected).digest());

/**
 * `GET /metrics` in the Prometheus text format, and the hook that counts every answered request into
 * `shlkit_http_requests_total` and `shlkit_http_request_duration_seconds` (route pattern, never the URL).
 * With `token` (SHL_METRICS_TOKEN) a scrape must send `Authorization: Bearer <token>`, else 401
 * `SHL_UNAUTHORIZED`.
 */
export const registerMetrics = (
  app: FastifyInstance,
  metrics: AppMetrics,
  token: string | undefined,
): void => {
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestAnswered(
      request.routeOptions.url ?? UNMATCHED_ROUTE,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (token !== undefined) {
      const [scheme, sent] = (request.headers.authorization ?? '').split(' ', 2);
      if (scheme?.toLowerCase() !== 'bearer' || sent === undefined || !sameToken(sent, token)) {
        throw new ServerError('SHL_UNAUTHORIZED', 'send Authorization: Bearer <SHL_METRICS_TOKEN>');
      }
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
};
