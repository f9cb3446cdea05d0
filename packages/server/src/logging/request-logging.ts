import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import pino from 'pino';
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
 * error handler's lines (Fastify's child loggers take the serializers given here). When the logger
 * already has both (createLogger sets them) and the route gives none of its own, the child inherits them:
 * a child given serializers costs about twice as much to make, on every request.
 */
export const childLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger: FastifyBaseLogger,
  bindings,
  options,
) => {
  const inherited = (logger as unknown as Record<symbol, Record<string, unknown> | undefined>)[
    pino.symbols.serializersSym
  ];
  if (
    options.serializers === undefined &&
    inherited?.req === serializeRequest &&
    inherited.err === serializeError
  )
    return logger.child(bindings, options);
  return logger.child(bindings, {
    ...options,
    serializers: { ...options.serializers, req: serializeRequest, err: serializeError },
  });
};
