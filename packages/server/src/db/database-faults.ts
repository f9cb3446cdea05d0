/**
 * Which errors mean "the database is away or too slow right now" rather than "this request or our code is
 * wrong": the one place that decides it, read by the error handler (503 `SHL_UNAVAILABLE` with
 * `Retry-After` instead of 500) and by the pool (a client that saw one is discarded, not reused).
 *
 * PostgreSQL error codes (SQLSTATE, PostgreSQL manual, appendix A):
 * - class 08, connection exception (08000, 08003, 08006, 08001, 08004...);
 * - 57P01 admin_shutdown (a fast or smart shutdown, a failover), 57P02 crash_shutdown, 57P03
 *   cannot_connect_now (starting up, in recovery), 57014 query_canceled (our `statement_timeout`);
 * - 53300 too_many_connections (the server is full; another try may succeed);
 * - 25006 read_only_sql_transaction (a failover promoted nothing yet, we reached a standby);
 * - 40P01 deadlock_detected, 40001 serialization_failure: the transaction lost a conflict with another
 *   and nothing of it took effect, so asking again succeeds. Links are locked in one order
 *   (links/lock-links.ts) so that this should not happen; if it does, it is a 503, not a 500.
 * Socket errors from Node (`ECONNREFUSED`, `ECONNRESET`...) and the messages `pg` raises without a code
 * (a dropped connection, a connect or query timeout) count too, as does a database handle that is
 * closing or closed: Kysely's after `db.destroy()`, PGlite's while it closes. The server closes its
 * database after `app.close()`, which waits for connections with answers pending, not for handlers; a
 * handler whose client has left may still be running and meet the closed handle (its answer reaches
 * nobody). Anything else that meets one races the shutdown; asked again, it finds another process. One
 * race stays a 500: a query that passed PGlite's own check just as it closed fails inside PGlite with a
 * `TypeError`, which says nothing a rule could read.
 */

/** Seconds a client is told to wait before asking again while the database is away. */
export const RETRY_AFTER_SECONDS = 5;

const SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '53300', '25006', '40P01', '40001']);

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Drivers raise these as plain `Error`s without a code. `pg`: the socket closed under a query or a
 * checked-out client, `connectionTimeoutMillis` passed, `query_timeout` passed, or a client already broken
 * was used. Kysely: the handle was destroyed. PGlite (and our batch runner on it, db/pglite-prepared.ts):
 * the database is closing or closed.
 */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
  /is not queryable/,
  /^Cannot use a pool after calling end on the pool$/,
  /^driver has already been destroyed$/,
  /^PGlite is (closing|closed|closing or closed)$/,
];

const isFault = (error: { code?: unknown; message?: unknown }): boolean => {
  const { code, message } = error;
  if (typeof code === 'string') {
    if (code.startsWith('08') && code.length === 5) return true;
    if (SQLSTATES.has(code) || SOCKET_CODES.has(code)) return true;
  }
  return typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message));
};

/**
 * True when `error` (or an error in its `cause` chain, or in an `AggregateError` such as Node's
 * multi-address connect failure) says the database is unreachable, restarting, or timed out.
 */
export const isDatabaseUnavailable = (error: unknown, depth = 0): boolean => {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (isFault(candidate)) return true;
  if (
    Array.isArray(candidate.errors) &&
    candidate.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))
  ) {
    return true;
  }
  return isDatabaseUnavailable(candidate.cause, depth + 1);
};
