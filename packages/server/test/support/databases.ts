import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';

/**
 * The databases every storage and HTTP suite runs on: embedded PGlite (in memory) and PostgreSQL from
 * TEST_DATABASE_URL, where each suite gets a fresh database of its own and drops it at the end. Without
 * TEST_DATABASE_URL the PostgreSQL runs are skipped with a message, except with CI=true, where they fail.
 */
export interface TestDatabase {
  name: 'PGlite' | 'PostgreSQL';
  /** Environment for loadConfig, and a function that drops what was created. */
  create(): Promise<{ env: Record<string, string>; drop(): Promise<void> }>;
}

const pglite: TestDatabase = {
  name: 'PGlite',
  create: async () => ({ env: { DATA_DIR: 'memory://' }, drop: async () => {} }),
};

/** A fresh, empty PostgreSQL database on the TEST_DATABASE_URL server. */
export const createPostgresDatabase = async (): Promise<{ url: string; drop(): Promise<void> }> => {
  const admin = process.env.TEST_DATABASE_URL;
  if (admin === undefined || admin === '') {
    throw new Error('TEST_DATABASE_URL is not set: CI=true requires the PostgreSQL suites to run');
  }
  const name = `shlkit_server_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      try {
        // WITH (FORCE) refuses (42501) when an autovacuum worker happens to be in the database: it
        // runs as no role, and the CI role is not a superuser. Autovacuum gives way within moments, so
        // try again for a few seconds before failing.
        for (let attempt = 1; ; attempt++) {
          try {
            await dropper.query(`drop database if exists ${name} with (force)`);
            break;
          } catch (error) {
            if ((error as { code?: string }).code !== '42501' || attempt >= 40) throw error;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
      } finally {
        await dropper.end();
      }
    },
  };
};

const postgres: TestDatabase = {
  name: 'PostgreSQL',
  create: async () => {
    const { url, drop } = await createPostgresDatabase();
    // PostgreSQL needs an explicit key-encryption key (processes share it); a fresh one per suite.
    return {
      env: { DATABASE_URL: url, SHL_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url') },
      drop,
    };
  },
};

export const postgresAvailable = (): boolean =>
  (process.env.TEST_DATABASE_URL ?? '') !== '' || process.env.CI === 'true';

/** The databases to loop a suite over; says so once when PostgreSQL is skipped. */
export const testDatabases = (): TestDatabase[] => {
  if (postgresAvailable()) return [pglite, postgres];
  console.warn(
    'server tests: TEST_DATABASE_URL is not set, so the PostgreSQL runs are SKIPPED (PGlite only)',
  );
  return [pglite];
};

/**
 * `describe` for a suite that needs PostgreSQL alone (two connections, a TCP proxy in front of the
 * server): without TEST_DATABASE_URL, and outside CI, it is reported as skipped rather than as a file
 * with no suite. Under CI=true it always runs, and fails without a database.
 */
export const describePostgres = describe.skipIf(!postgresAvailable());

/** The PostgreSQL target alone, for `describePostgres.each`. */
export const postgresTargets = (): TestDatabase[] => [postgres];
