import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { type Config, MEMORY_DATA_DIR } from '../config.js';
import { PGliteDialect } from './pglite-dialect.js';
import { type PoolLogger, createPostgresPool } from './postgres-pool.js';
import type { Database, DatabaseSchema } from './schema.js';

/** True when the configuration selects the embedded database (no DATABASE_URL). */
export const isEmbedded = (config: Pick<Config, 'databaseUrl'>): boolean => config.databaseUrl === undefined;

export type DatabaseConfig = Pick<
  Config,
  'databaseUrl' | 'dataDir' | 'dbConnectTimeoutMs' | 'dbStatementTimeoutMs'
>;

/**
 * Opens the database the configuration names: PostgreSQL for `DATABASE_URL=postgres://...` (a pool bounded
 * by DB_CONNECT_TIMEOUT_MS and DB_STATEMENT_TIMEOUT_MS that survives the database going away: see
 * postgres-pool.ts), otherwise embedded PGlite in `DATA_DIR/pglite` (or in memory for
 * `DATA_DIR=memory://`). Opening PostgreSQL connects lazily. `db.destroy()` closes it.
 * `logger` hears about dropped connections.
 */
export const openDatabase = async (config: DatabaseConfig, logger?: PoolLogger): Promise<Database> => {
  if (config.databaseUrl !== undefined) {
    const pool = createPostgresPool({
      connectionString: config.databaseUrl,
      connectTimeoutMs: config.dbConnectTimeoutMs,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      ...(logger === undefined ? {} : { logger }),
    });
    return new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  }
  let pglite: PGlite;
  if (config.dataDir === MEMORY_DATA_DIR) {
    pglite = await PGlite.create();
  } else {
    const dir = join(config.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create(dir);
  }
  return new Kysely<DatabaseSchema>({ dialect: new PGliteDialect(pglite) });
};
