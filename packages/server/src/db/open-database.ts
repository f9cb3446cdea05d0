import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type Config, MEMORY_DATA_DIR } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import { openDurablePglite } from './durable-commits.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database, DatabaseSchema } from './schema.js';

/** True when the configuration selects the embedded database (no DATABASE_URL). */
export const isEmbedded = (config: Pick<Config, 'databaseUrl'>): boolean => config.databaseUrl === undefined;

/**
 * Opens the database the configuration names: PostgreSQL for `DATABASE_URL=postgres://...`, otherwise
 * embedded PGlite in `DATA_DIR/pglite`, each commit on disk before it is acknowledged (durable-commits.ts),
 * or in memory for `DATA_DIR=memory://`. `db.destroy()` closes it. An embedded data directory is locked
 * for this process until `db.destroy()` (db/data-dir-lock.ts).
 *
 * @throws ServerError `SHL_DATA_DIR_IN_USE` when another live process has the embedded data directory open.
 */
export const openDatabase = async (config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> => {
  if (config.databaseUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    return new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  }
  if (config.dataDir === MEMORY_DATA_DIR) {
    // Volatile on purpose (tests, trials): nothing to make durable, and the start message says so.
    return new Kysely<DatabaseSchema>({ dialect: new PGliteDialect(await PGlite.create()) });
  }
  const lock = lockDataDir(config.dataDir);
  try {
    const dir = join(config.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    const { pglite, durability } = await openDurablePglite(dir);
    return new Kysely<DatabaseSchema>({
      dialect: new PGliteDialect(pglite, durability, () => lock.release()),
    });
  } catch (error) {
    lock.release();
    throw error;
  }
};
