import { createHash } from 'node:crypto';
import type { CompiledQuery } from 'kysely';
import type { PgPoolClient, PostgresPoolOptions } from './postgres-pool.js';
import { createPostgresPool } from './postgres-pool.js';
import type { Database } from './schema.js';

/** The rows one statement returned. */
export type Rows = readonly Record<string, unknown>[];

/**
 * Runs compiled statements as one transaction (all or nothing), in order, and returns each one's rows.
 * A single statement runs alone: it is its own transaction.
 * @throws the first statement's error (a database fault is mapped to SHL_UNAVAILABLE by the caller's
 *   error handling). After a statement's error none of them took effect. After a lost connection or a
 *   timeout on our side, as for any transaction whose COMMIT's answer is lost, the outcome is unknown.
 */
export type RunTransaction = (statements: readonly CompiledQuery[]) => Promise<Rows[]>;

/** Group-commit batches of one path in the database at once, on PostgreSQL (group-commit/batcher.ts). */
export const SERVING_BATCHES_IN_FLIGHT = 2;

/**
 * Connections of the serving pool: one for each batch in flight of each group-commit path (manifest,
 * direct file, `location`).
 */
export const SERVING_CONNECTIONS = 3 * SERVING_BATCHES_IN_FLIGHT;

const runners = new WeakMap<Database, RunTransaction>();

/**
 * Why one round trip: a group-commit batch is four statements (BEGIN, the link locks, the serving
 * statement, COMMIT). Sent one after another, each waits for the last one's answer *and* for this
 * process's event loop to pick it up, which under load is most of a batch's time. Pipelined, the
 * database gets all four at once and answers once. Measured on 2 cores, 32 connections, one link, 8 s
 * each: manifest POST went from 1,750 to 3,600 req/s, with p99 from 39 to 23 ms (decision 0007). They go
 * in one write, too: `pg` writes each statement by itself, one system call each (decision 0010).
 *
 * Why prepared statements: the serving statement's text is the same for every batch of one path (only its
 * parameters change), and PostgreSQL spent about 1.2 ms parsing and planning it per batch, more than
 * executing it. Each connection prepares it once, by a name made from the text's hash, so a changed text
 * is a new statement and never runs under an old name.
 */
const pipelined =
  (connect: () => Promise<PgPoolClient>): RunTransaction =>
  async (statements) => {
    // A statement the database refused because this connection's prepared statement no longer fits (a
    // migration changed a column it returns, say) rolled the transaction back: nothing took effect, so
    // the batch runs again on another connection, which prepares afresh. Each refusal closes the
    // connection it came from, so this ends after at most one try per connection.
    for (let tries = 1; ; tries += 1) {
      try {
        return await pipelinedOnce(connect, statements);
      } catch (error) {
        if (!refusedForStatementState(error) || tries > SERVING_CONNECTIONS) throw error;
      }
    }
  };

const pipelinedOnce = async (
  connect: () => Promise<PgPoolClient>,
  statements: readonly CompiledQuery[],
): Promise<Rows[]> => {
  const client = await connect();
  try {
    const rows = await send(client, statements);
    client.release();
    return rows;
  } catch (error) {
    client.release(statementStateInDoubt(error) ? (error as Error) : undefined);
    throw error;
  }
};

const send = async (client: PgPoolClient, statements: readonly CompiledQuery[]): Promise<Rows[]> => {
  const run = (statement: CompiledQuery) =>
    client.run({ name: nameOf(statement.sql), text: statement.sql, values: statement.parameters });
  if (statements.length === 1) return [(await run(statements[0] as CompiledQuery)).rows];
  // Written to the connection in the order of these calls, none waiting for an answer: BEGIN first,
  // COMMIT last, in one write. When a statement fails, PostgreSQL skips the rest of the transaction and
  // answers the COMMIT with ROLLBACK.
  const settled = await Promise.allSettled(
    client.corked(() => [
      client.run({ text: 'begin', values: [] }),
      ...statements.map(run),
      client.run({ text: 'commit', values: [] }),
    ]),
  );
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  const results = settled.map(
    (outcome) => (outcome as PromiseFulfilledResult<{ rows: Rows; command: string }>).value,
  );
  // Belt and braces: a COMMIT of a failed transaction answers ROLLBACK, not an error.
  if (results.at(-1)?.command !== 'COMMIT') throw new Error('the transaction was rolled back');
  return results.slice(1, -1).map((result) => result.rows);
};

/** The SQLSTATE of an error the database sent, or undefined for one raised on our side. */
const sqlstateOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/**
 * Codes by which the database refuses a prepared statement that no longer fits this connection (see
 * `statementStateInDoubt`); the embedded database's runner (pglite-prepared.ts) reads them too.
 */
export const isStaleStatement = (code: string): boolean =>
  code.startsWith('26') || code === '0A000' || code === '42P05';

/** The database's own refusal (a SQLSTATE, so the transaction was rolled back) of a stale statement. */
const refusedForStatementState = (error: unknown): boolean => {
  const code = sqlstateOf(error);
  return code !== undefined && isStaleStatement(code);
};

/**
 * Errors after which this connection's prepared statements may not be what `pg` believes they are, so it
 * is closed rather than reused (a new one prepares afresh):
 * - class 26 (invalid_sql_statement_name: the statement is gone, say after `DISCARD ALL` or behind a
 *   pooler that does not track prepared statements);
 * - 0A000 (feature_not_supported: "cached plan must not change result type", after a migration changed a
 *   column that the statement returns);
 * - 42P05 (duplicate_prepared_statement);
 * - and any error without a SQLSTATE that `pg` raised on our side. Connection faults and timeouts are
 *   discarded by the pool already (postgres-pool.ts).
 */
const statementStateInDoubt = (error: unknown): boolean => {
  const code = sqlstateOf(error);
  return code === undefined || isStaleStatement(code);
};

/**
 * Names already made, by statement text. The texts are fixed (see `runTransaction`), so this holds a few
 * entries; it is emptied past `NAMES_HELD` should a caller break that rule. Hashing the serving
 * statement's 3 KB text for every batch cost about 5 µs per request in a profile.
 */
const names = new Map<string, string>();
const NAMES_HELD = 256;

const nameOf = (text: string): string => {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= NAMES_HELD) names.clear();
    name = `shlkit_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
};

/**
 * A plain Kysely transaction, for a handle that `openDatabase` or `openInMemory` did not open (a test's own
 * handle with a query log, say): the same result, one statement at a time.
 */
const sequential =
  (db: Database): RunTransaction =>
  async (statements) => {
    if (statements.length === 1)
      return [(await db.executeQuery(statements[0] as CompiledQuery)).rows as Rows];
    return db.transaction().execute(async (trx) => {
      const rows: Rows[] = [];
      for (const statement of statements) rows.push((await trx.executeQuery(statement)).rows as Rows);
      return rows;
    });
  };

/** The serving pool `openServingPool` opened: how to close it, and its connections now. */
export interface ServingPool {
  /** Closes the serving pool; `db.destroy()` does not. */
  close(): Promise<void>;
  /** Its connections: in use, idle, and callers waiting for one. */
  stats(): { total: number; idle: number; waiting: number };
}

/**
 * Opens the serving pool of a PostgreSQL database (`SERVING_CONNECTIONS` pipelined connections, with the
 * same timeouts and fault handling as the main pool) and makes `runTransaction` use it for `db`.
 */
export const openServingPool = (
  db: Database,
  options: Omit<PostgresPoolOptions, 'max' | 'pipeline'>,
): ServingPool => {
  const pool = createPostgresPool({ ...options, max: SERVING_CONNECTIONS, pipeline: true });
  runners.set(
    db,
    pipelined(() => pool.connect()),
  );
  return {
    close: () => pool.end(),
    stats: () => ({ total: pool.pg.totalCount, idle: pool.pg.idleCount, waiting: pool.pg.waitingCount }),
  };
};

/**
 * Makes `runTransaction` use `run` for `db`: for the embedded database, its dialect's one call with
 * prepared statements (pglite-dialect.ts, pglite-prepared.ts).
 */
export const runTransactionsWith = (db: Database, run: RunTransaction): void => {
  runners.set(db, run);
};

/**
 * Runs statements as one transaction on `db` (see `RunTransaction`): in one round trip with prepared
 * statements on a PostgreSQL database with a serving pool (`openServingPool`), in one call with prepared
 * statements on the embedded database (`runTransactionsWith`), as a plain transaction otherwise. Give it
 * only statements whose text is fixed: each distinct text stays prepared on the connections that ran it.
 */
export const runTransaction = (db: Database, statements: readonly CompiledQuery[]): Promise<Rows[]> =>
  (runners.get(db) ?? sequential(db))(statements);
