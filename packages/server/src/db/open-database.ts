import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { type Config, MEMORY_DATA_DIR } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import { openServingPool, runTransactionsWith } from './one-round-trip.js';
import { PGliteDialect } from './pglite-dialect.js';
import { type PoolLogger, createPostgresPool } from './postgres-pool.js';
import type { Database, DatabaseSchema } from './schema.js';

/** The connections of one process's database handle at one instant (on PostgreSQL, both its pools). */
export interface PoolStats {
  /** Connections running a statement or a transaction. */
  active: number;
  idle: number;
  /** Callers queued for a connection. */
  waiting: number;
}

/** How to read each open database's pool (for `shlkit_db_pool_connections`). */
const poolStatsReaders = new WeakMap<Database, () => PoolStats>();

/** The pool of a database `openDatabase` opened, now; undefined for one opened elsewhere. */
export const poolStatsOf = (db: Database): PoolStats | undefined => poolStatsReaders.get(db)?.();

/**
 * A Kysely handle over embedded PGlite whose one connection `poolStatsOf` reports, and whose group-commit
 * batches go to the database in one call with prepared statements (`runTransaction`).
 */
const embeddedHandle = (dialect: PGliteDialect): Database => {
  const db = new Kysely<DatabaseSchema>({ dialect });
  poolStatsReaders.set(db, () => dialect.connectionStats());
  // Kysely closes its driver (and with it PGlite and the data directory's lock) in `db.destroy()` only
  // once a query of its own has initialised the driver; before that, `destroy` does nothing and the
  // handle goes on working. Batches bypass Kysely. So the handle takes its connection through Kysely at
  // once: `db.destroy()` then always closes PGlite, whether the handle ran queries, batches or nothing.
  const initialise = (): Promise<void> =>
    db
      .connection()
      .execute(async () => {})
      .catch((error: unknown) => {
        initialised = undefined;
        throw error;
      });
  let initialised: Promise<void> | undefined = initialise();
  // Its failure, if any, is the first batch's or query's to report, not an unhandled rejection.
  initialised.catch(() => {});
  runTransactionsWith(db, async (statements) => {
    await (initialised ??= initialise());
    return dialect.runTransaction(statements);
  });
  return db;
};

/**
 * A handle over an in-memory PGlite the caller opened, as `openDatabase` returns for `DATA_DIR=memory://`
 * (tests open one from a migrated copy: test/support/pglite-template.ts). `db.destroy()` closes `pglite`.
 */
export const openInMemory = (pglite: PGlite): Database => embeddedHandle(new PGliteDialect(pglite));

/** True when the configuration selects the embedded database (no DATABASE_URL). */
export const isEmbedded = (config: Pick<Config, 'databaseUrl'>): boolean => config.databaseUrl === undefined;

export type DatabaseConfig = Pick<
  Config,
  'databaseUrl' | 'dataDir' | 'dbConnectTimeoutMs' | 'dbStatementTimeoutMs'
>;

/**
 * Opens the database the configuration names: PostgreSQL for `DATABASE_URL=postgres://...` (a pool bounded
 * by DB_CONNECT_TIMEOUT_MS and DB_STATEMENT_TIMEOUT_MS that survives the database going away: see
 * postgres-pool.ts; it connects lazily; beside it the small pipelined pool of the serving path,
 * one-round-trip.ts), otherwise embedded PGlite in `DATA_DIR/pglite`, each commit on disk
 * before it is acknowledged (durable-commits.ts), or in memory for `DATA_DIR=memory://`. `db.destroy()`
 * closes it. An embedded data directory is locked for this process until `db.destroy()`
 * (db/data-dir-lock.ts). `logger` hears about dropped PostgreSQL connections.
 *
 * @throws ServerError `SHL_DATA_DIR_IN_USE` when another live process has the embedded data directory open.
 */
export const openDatabase = async (config: DatabaseConfig, logger?: PoolLogger): Promise<Database> => {
  if (config.databaseUrl !== undefined) {
    const poolOptions = {
      connectionString: config.databaseUrl,
      connectTimeoutMs: config.dbConnectTimeoutMs,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      ...(logger === undefined ? {} : { logger }),
    };
    const pool = createPostgresPool(poolOptions);
    // db.destroy() ends the main pool, and the serving pool with it (opened just below: it needs `db`).
    const end = async () => {
      await Promise.all([pool.end(), serving.close()]);
    };
    const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool: { ...pool, end } }) });
    const serving = openServingPool(db, poolOptions);
    // Both pools are this process's connections to the database: the metric counts them together.
    poolStatsReaders.set(db, () => {
      const batches = serving.stats();
      return {
        active: pool.pg.totalCount - pool.pg.idleCount + (batches.total - batches.idle),
        idle: pool.pg.idleCount + batches.idle,
        waiting: pool.pg.waitingCount + batches.waiting,
      };
    });
    return db;
  }
  // The embedded database's code (PostgreSQL in WebAssembly) is loaded only when it is used: a server on
  // PostgreSQL never holds it (about 5 MB of resident memory).
  if (config.dataDir === MEMORY_DATA_DIR) {
    // Volatile on purpose (tests, trials): nothing to make durable, and the start message says so.
    const { PGlite: EmbeddedPostgres } = await import('@electric-sql/pglite');
    return openInMemory(await EmbeddedPostgres.create());
  }
  const lock = lockDataDir(config.dataDir);
  try {
    const dir = join(config.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    const { openDurablePglite } = await import('./durable-commits.js');
    const { pglite, durability } = await openDurablePglite(dir);
    return embeddedHandle(new PGliteDialect(pglite, durability, () => lock.release()));
  } catch (error) {
    lock.release();
    throw error;
  }
};
