import { type Database, openDatabase } from '@shlkit/server';
import type { ServerDatabase } from './spawn-server.js';

/**
 * Opens the benchmark's database in the bench process, as the server would (the server package's own
 * code), for seeding and counting while no server runs: an embedded data directory is locked by one
 * process at a time. Closes it when `work` settles.
 */
export const withDatabase = async <T>(
  database: ServerDatabase,
  work: (db: Database) => Promise<T>,
): Promise<T> => {
  const db = await openDatabase({
    databaseUrl: database.kind === 'postgres' ? database.url : undefined,
    dataDir: database.kind === 'pglite' ? database.dataDir : 'unused',
    dbConnectTimeoutMs: 10_000,
    // Seeding 100,000 links is one statement per table per chunk: give it room.
    dbStatementTimeoutMs: 600_000,
  });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
};
