import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type Config, MEMORY_DATA_DIR } from '../config.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database, DatabaseSchema } from './schema.js';

/** The connections of one process's database handle at one instant. */
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

/** True when the configuration selects the embedded database (no DATABASE_URL). */
export const isEmbedded = (config: Pick<Config, 'databaseUrl'>): boolean => config.databaseUrl === undefined;

/**
 * Opens the database the configuration names: PostgreSQL for `DATABASE_URL=postgres://...`, otherwise
 * embedded PGlite in `DATA_DIR/pglite` (or in memory for `DATA_DIR=memory://`). `db.destroy()` closes it.
 */
export const openDatabase = async (config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> => {
  if (config.databaseUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
    poolStatsReaders.set(db, () => ({
      active: pool.totalCount - pool.idleCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }));
    return db;
  }
  let pglite: PGlite;
  if (config.dataDir === MEMORY_DATA_DIR) {
    pglite = await PGlite.create();
  } else {
    const dir = join(config.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create(dir);
  }
  const dialect = new PGliteDialect(pglite);
  const db = new Kysely<DatabaseSchema>({ dialect });
  poolStatsReaders.set(db, () => dialect.connectionStats());
  return db;
};
