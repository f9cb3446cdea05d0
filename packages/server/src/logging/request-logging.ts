import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import { serializeError } from './serialize-error.js';

interface LoggedRequest {
  method?: string;
  url?: string;
  hostname?: string;
  ip?: string;
  routeOptions?: { url?: string | undefined };
}

/**
 * The path a log line shows: the route's pattern (`/shl/:id/files/:fileId`, `/api/links/:id`), never the
 * path itself, which carries link ids; for a path no route matched, its first segment and `<redacted>`.
 * Never the query: location URLs carry their ticket and direct-file URLs the recipient's name there.
 */
export const loggedPath = (request: LoggedRequest): string | undefined => {
  const pattern = request.routeOptions?.url;
  if (pattern !== undefined) return pattern;
  const path = request.url?.split('?')[0];
  if (path === undefined) return undefined;
  const [, first, ...rest] = path.split('/');
  return rest.length === 0 ? `/${first ?? ''}` : `/${first}/<redacted>`;
};

/** How a request appears in the logs: method, path as `loggedPath` gives it, host and client address. */
export const serializeRequest = (request: LoggedRequest) => ({
  method: request.method,
  path: loggedPath(request),
  host: request.hostname,
  remoteAddress: request.ip,
});

/**
 * Every per-request logger uses `serializeRequest` for `req` and `serializeError` for `err`, including the
 * error handler's lines (Fastify's child loggers take the serializers given here).
 */
export const childLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger: FastifyBaseLogger,
  bindings,
  options,
) =>
  logger.child(bindings, {
    ...options,
    serializers: { ...options.serializers, req: serializeRequest, err: serializeError },
  });
