import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type AppDeps, createApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { type Config, MEMORY_DATA_DIR, loadConfig } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import type { KeyRing } from '../../src/key-wrapping/key-wrapper.js';
import { openDatabase } from '../../src/db/open-database.js';
import type { Database } from '../../src/db/schema.js';
import { startServer } from '../../src/server.js';
import type { TestDatabase } from './databases.js';
import { openMigratedInMemory } from './pglite-template.js';

export const API_KEY = 'test-api-key-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${API_KEY}` };
export const BASE = 'https://shl.example.org';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start = Date.UTC(2030, 0, 1)) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  config: Config;
  clock: ManualClock;
  /** The key-encryption key the app wraps link keys under, so that tests can unwrap what it stored. */
  keyEncryptionKey: Uint8Array | KeyRing;
  close(): Promise<void>;
}

/**
 * The real app on a real, migrated database, for `inject()` tests. `options.oidc` reaches the identity
 * provider (a suite started by the test sets the JWKS cooldown to 0 to see key rotation at once).
 */
export const startTestApp = async (
  target: TestDatabase,
  env: Record<string, string> = {},
  options: { keyEncryptionKey?: Uint8Array | KeyRing } & Pick<AppDeps, 'oidc'> = {},
): Promise<TestApp> => {
  const created = await target.create();
  const config = loadConfig({
    PUBLIC_BASE_URL: BASE,
    SHL_DEMO: 'false',
    SHL_API_KEY: API_KEY,
    // Suites make many requests from 127.0.0.1; the rate-limit suite turns limits on with SHL_RATE_LIMIT=on.
    SHL_RATE_LIMIT: 'off',
    ...created.env,
    ...env,
  });
  // In memory, a migrated copy when the run provides one; the migrations then find nothing to do.
  const db =
    (config.dataDir === MEMORY_DATA_DIR ? await openMigratedInMemory() : undefined) ??
    (await openDatabase(config));
  await migrateToLatest(db);
  const clock = new ManualClock();
  const { keyEncryptionKey = new Uint8Array(randomBytes(32)), ...rest } = options;
  const { app } = await createApp({ config, db, clock, keyEncryptionKey, ...rest });
  await app.ready();
  return {
    app,
    db,
    config,
    clock,
    keyEncryptionKey,
    close: async () => {
      await app.close();
      await db.destroy();
      await created.drop();
    },
  };
};

/** Row counts of every table, to prove a refused request left nothing behind. */
export const countRows = async (db: Database): Promise<Record<string, number>> => {
  const tables = [
    'shl_links',
    'shl_passcodes',
    'shl_files',
    'shl_file_tickets',
    'shl_access_log',
    'shl_api_keys',
    'shl_admin_users',
    'shl_passcode_holds',
    'shl_sessions',
    'shl_audit_log',
    'shl_link_activity',
    'shl_idempotency_keys',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
};

export { samplesDir } from '../../../../test-support/samples.js';

export interface ListeningServer {
  url: string;
  /** The environment of its fresh database (`DATABASE_URL` on PostgreSQL), to reach it directly. */
  databaseEnv: Record<string, string>;
  close(): Promise<void>;
}

/** The real server listening on a free loopback port over a fresh database, for tests over real HTTP. */
export const startListeningServer = async (
  target: TestDatabase,
  env: Record<string, string> = {},
): Promise<ListeningServer> => {
  const created = await target.create();
  try {
    const server = await startServer({
      config: loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        SHL_DEMO: 'false',
        SHL_API_KEY: API_KEY,
        SHL_RATE_LIMIT: 'off',
        ...created.env,
        ...env,
      }),
    });
    return {
      url: server.url,
      databaseEnv: created.env,
      close: async () => {
        await server.close();
        await created.drop();
      },
    };
  } catch (error) {
    await created.drop();
    throw error;
  }
};
