import type { Config } from '../config.js';

/**
 * How often Node checks open connections against the request and headers timeouts, in milliseconds. Node's
 * default (30 s) would let a slow client hold its connection up to 30 s past its timeout; the check is a
 * walk over open connections, cheap at once a second.
 */
const CONNECTION_CHECK_INTERVAL_MS = 1_000;

/**
 * Fastify constructor options that bound what a client may hold (HTTP_REQUEST_TIMEOUT_MS,
 * HTTP_HEADERS_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS): a request whose headers or body trickle in is
 * answered 408 `SHL_REQUEST_TIMEOUT` (http/framework-errors.ts) and its connection closed once its time is
 * up; an idle keep-alive connection is closed. Answers are not bounded: a long poll or an event stream
 * may take its time once its request has arrived. The connection cap (`HTTP_MAX_CONNECTIONS`) is Node's
 * `server.maxConnections`, set on the server `createApp` builds.
 */
export const httpTimeoutOptions = (
  config: Pick<Config, 'httpRequestTimeoutMs' | 'httpHeadersTimeoutMs' | 'httpKeepAliveTimeoutMs'>,
) => ({
  requestTimeout: config.httpRequestTimeoutMs,
  keepAliveTimeout: config.httpKeepAliveTimeoutMs,
  http: {
    requestTimeout: config.httpRequestTimeoutMs,
    headersTimeout: config.httpHeadersTimeoutMs,
    connectionsCheckingInterval: CONNECTION_CHECK_INTERVAL_MS,
  },
});
