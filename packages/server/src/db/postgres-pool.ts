import type { Writable } from 'node:stream';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { isDatabaseUnavailable } from './database-faults.js';

/** Where the pool tells what happened to its connections; pino's logger fits. */
export interface PoolLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface PostgresPoolOptions {
  /** `postgres://...` */
  connectionString: string;
  /** Milliseconds to open a connection (TCP, TLS, authentication), and to wait for a free one. */
  connectTimeoutMs: number;
  /** Milliseconds a statement may run; PostgreSQL cancels it after that (SQLSTATE 57014). */
  statementTimeoutMs: number;
  /** Connections at most (default 10). */
  max?: number;
  /**
   * `pg`'s pipeline mode: statements given to one connection without waiting go out together, and their
   * answers come back in order (one round trip for several). Only for the serving pool
   * (one-round-trip.ts); Kysely awaits each statement, so it gains nothing from it.
   */
  pipeline?: boolean;
  logger?: PoolLogger;
}

/** A statement for `pg`: `name` makes it a prepared statement, parsed once per connection. */
export interface PgStatement {
  name?: string;
  text: string;
  values: readonly unknown[];
}

/** A checked-out connection that also takes named (prepared) statements. */
export interface PgPoolClient extends PostgresPoolClient {
  run(statement: PgStatement): Promise<pg.QueryResult>;
  /** `discard`: close the connection instead of reusing it (its state is in doubt). */
  release(discard?: Error): void;
  /**
   * Calls `write` with the connection's socket corked, so that the statements it gives `run` (without
   * awaiting them) reach the database in one write: one system call and one wake-up of the database
   * process instead of one per statement. Returns what `write` returned.
   */
  corked<T>(write: () => T): T;
}

/**
 * The socket under a `pg` client. `pg` has no public way to batch a pipeline's writes, so this reaches
 * for `client.connection.stream`, present in pg 8. Without it, `corked` writes as `pg` does by itself:
 * one write per statement, the same bytes (one-round-trip.test.ts notices when it goes missing).
 */
const socketOf = (client: pg.PoolClient): { cork(): void; uncork(): void } | undefined => {
  const stream = (client as { connection?: { stream?: Partial<Writable> } }).connection?.stream;
  return typeof stream?.cork === 'function' && typeof stream.uncork === 'function'
    ? (stream as Writable)
    : undefined;
};

/** What is safe to log about a connection error: never its query or parameters. */
const describe = (error: unknown): Record<string, unknown> => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return { code, message };
};

/**
 * A `pg` pool bounded in time and safe against a database that goes away, as Kysely's dialect takes it:
 * - every client gets an `error` listener for its whole life. `pg` removes the pool's own listener while a
 *   client is checked out (inside a transaction, between two statements), and an `error` event without a
 *   listener would crash the process when the database restarts or a connection drops;
 * - the pool's `error` (an idle connection dropped) is logged, not thrown;
 * - `statement_timeout` bounds a slow statement on the server side, and `query_timeout` (the statement
 *   timeout plus the connect timeout) bounds one on our side when the server does not answer at all
 *   (stopped, or the network dropped packets rather than the connection);
 * - a client whose query failed with a connection fault or a timeout is handed back to `pg` as broken, so
 *   the pool closes it rather than reusing a connection whose state nobody knows. Kysely releases without
 *   an error, hence the wrapper.
 * New connections are opened on demand, so the pool recovers by itself when the database returns.
 */
export const createPostgresPool = (
  options: PostgresPoolOptions,
): Omit<PostgresPool, 'connect'> & { pg: pg.Pool; connect(): Promise<PgPoolClient> } => {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    pipeline: options.pipeline ?? false,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    // pg starts a statement's timer when it is queued. In pipeline mode a transaction's statements are all
    // queued at once, so the last one's timer also covers the waits of the ones before it (the link lock,
    // then the serving statement, each up to statement_timeout): its budget is theirs together. The
    // database's own statement_timeout still ends a slow statement first, with a clean ROLLBACK; this
    // timer is for a database that does not answer at all.
    query_timeout:
      (options.pipeline === true ? 2 : 1) * options.statementTimeoutMs + options.connectTimeoutMs,
    keepAlive: true,
  });
  const warn = (error: unknown, message: string) => options.logger?.warn({ err: describe(error) }, message);
  pool.on('error', (error) => warn(error, 'database connection lost while idle; it will be reopened'));
  pool.on('connect', (client) => {
    client.on('error', (error) => warn(error, 'database connection lost; it will be reopened'));
  });

  const wrap = (client: pg.PoolClient): PgPoolClient => {
    let fault: Error | undefined;
    const noteFault = (error: unknown): never => {
      if (isDatabaseUnavailable(error)) fault = error instanceof Error ? error : new Error(String(error));
      throw error;
    };
    return {
      query: ((textOrCursor: unknown, parameters?: readonly unknown[]) => {
        if (typeof textOrCursor !== 'string') {
          // A cursor (streamed rows): pg hands it back as is.
          return client.query(textOrCursor as pg.Submittable);
        }
        return client.query(textOrCursor, parameters as unknown[]).catch(noteFault);
      }) as unknown as PostgresPoolClient['query'],
      run: (statement) =>
        client
          .query({
            ...(statement.name === undefined ? {} : { name: statement.name }),
            text: statement.text,
            values: [...statement.values],
          })
          .catch(noteFault),
      release: (discard?: Error) => client.release(discard ?? fault),
      corked: (write) => {
        const socket = socketOf(client);
        socket?.cork();
        try {
          return write();
        } finally {
          socket?.uncork();
        }
      },
    };
  };

  return {
    pg: pool,
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
};
