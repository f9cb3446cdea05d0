import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

interface LoggedRequest {
  method?: string;
  url?: string;
  hostname?: string;
  ip?: string;
}

/**
 * How a request appears in the logs: method and path, never the query. Location URLs carry their ticket
 * and direct-file URLs the recipient's name in the query; the database keeps tickets only as hashes, and
 * logs must not undo that.
 */
export const serializeRequest = (request: LoggedRequest) => ({
  method: request.method,
  path: request.url?.split('?')[0],
  host: request.hostname,
  remoteAddress: request.ip,
});

/** Every per-request logger uses `serializeRequest` for `req`, including the error handler's lines. */
export const childLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger: FastifyBaseLogger,
  bindings,
  options,
) => logger.child(bindings, { ...options, serializers: { ...options.serializers, req: serializeRequest } });
