import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../src/db/database-faults.js';
import { runTransaction } from '../src/db/one-round-trip.js';
import { openInMemory } from '../src/db/open-database.js';
import { createPostgresDatabase, postgresAvailable } from './support/databases.js';

/** The error a real `pg` call raised. */
const caught = async (work: () => Promise<unknown>): Promise<unknown> => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
};

const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
};

describe('which database errors count as "unavailable" (503) rather than a bug (500)', () => {
  it('a refused connection is unavailable', async () => {
    const port = await freePort();
    const client = new pg.Client({ connectionString: `postgres://x:y@127.0.0.1:${port}/none` });
    expect(isDatabaseUnavailable(await caught(() => client.connect()))).toBe(true);
  });

  it('a connect timeout is unavailable (a server that accepts and never answers)', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const pool = new pg.Pool({
      connectionString: `postgres://x:y@127.0.0.1:${port}/none`,
      connectionTimeoutMillis: 200,
    });
    try {
      expect(isDatabaseUnavailable(await caught(() => pool.query('select 1')))).toBe(true);
    } finally {
      await pool.end();
      silent.close();
    }
  });

  it('wrapped errors are read through their cause', () => {
    const inner = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(isDatabaseUnavailable(new Error('migration failed', { cause: inner }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnavailable('not an error')).toBe(false);
  });

  it('a database handle destroyed as the server shuts down is unavailable, to Kysely and to batches', async () => {
    // The server's own path: db.destroy(), as RunningServer.close calls it, then work that comes late.
    const used = openInMemory(await PGlite.create());
    await runTransaction(used, [sql`select 1 as one`.compile(used)]);
    const unused = openInMemory(await PGlite.create());
    await Promise.all([used.destroy(), unused.destroy()]);
    for (const db of [used, unused]) {
      expect(isDatabaseUnavailable(await caught(() => sql`select 1`.execute(db)))).toBe(true);
      expect(
        isDatabaseUnavailable(await caught(() => runTransaction(db, [sql`select 1 as one`.compile(db)]))),
      ).toBe(true);
    }
  });

  it('the embedded database closing is unavailable, to Kysely and to a batch alike', async () => {
    const pglite = await PGlite.create();
    const db = openInMemory(pglite);
    await sql`select 1`.execute(db);
    const closing = pglite.close();
    // Asked while PGlite closes, and again once it is closed: neither is a bug in the request.
    const duringClose = await caught(() => runTransaction(db, [sql`select 1 as one`.compile(db)]));
    await closing;
    expect(isDatabaseUnavailable(duringClose)).toBe(true);
    expect(isDatabaseUnavailable(await caught(() => sql`select 1`.execute(db)))).toBe(true);
    expect(isDatabaseUnavailable(await caught(() => pglite.query('select 1')))).toBe(true);
    expect(
      isDatabaseUnavailable(await caught(() => runTransaction(db, [sql`select 1 as one`.compile(db)]))),
    ).toBe(true);
  });

  it.runIf(postgresAvailable())(
    'on PostgreSQL: a statement timeout is unavailable; a syntax error or a constraint violation is not',
    async () => {
      const database = await createPostgresDatabase();
      const client = new pg.Client({ connectionString: database.url, statement_timeout: 100 });
      await client.connect();
      try {
        expect(isDatabaseUnavailable(await caught(() => client.query('select pg_sleep(2)')))).toBe(true);
        expect(isDatabaseUnavailable(await caught(() => client.query('selec 1')))).toBe(false);
        await client.query('create table t (id int primary key)');
        await client.query('insert into t values (1)');
        expect(isDatabaseUnavailable(await caught(() => client.query('insert into t values (1)')))).toBe(
          false,
        );
      } finally {
        await client.end();
        await database.drop();
      }
    },
  );
});
