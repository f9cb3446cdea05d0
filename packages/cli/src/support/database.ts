import { loadConfig, migrateToLatest, openDatabase } from '@shlkit/server';
import type { Io } from '../io.js';

type Database = Awaited<ReturnType<typeof openDatabase>>;

/**
 * Opens the database the server's configuration names (the same environment `shlkit serve` reads:
 * DATABASE_URL, or DATA_DIR for the embedded one), brings its schema up to date, runs `work`, and closes it.
 * Operator commands work on a fresh installation without a separate `shlkit migrate`.
 */
export const withDatabase = async <T>(io: Io, work: (db: Database) => Promise<T>): Promise<T> => {
  const config = loadConfig(io.env);
  const db = await openDatabase(config);
  try {
    await migrateToLatest(db);
    return await work(db);
  } finally {
    await db.destroy();
  }
};

/** Where the configuration points, for messages (never the password of a DATABASE_URL). */
export const describeDatabase = (io: Io): string => {
  const config = loadConfig(io.env);
  if (config.databaseUrl !== undefined) {
    const url = new URL(config.databaseUrl);
    url.password = '';
    return `PostgreSQL ${url.host}${url.pathname}`;
  }
  return `embedded database in ${config.dataDir}`;
};
