import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { Kysely, type LogEvent, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { PGliteDialect } from '../src/db/pglite-dialect.js';
import type { Database, DatabaseSchema } from '../src/db/schema.js';
import { testDatabases } from './support/databases.js';
import {
  API_KEY,
  AUTH,
  BASE,
  type ListeningServer,
  ManualClock,
  startListeningServer,
} from './support/test-app.js';

/**
 * The uniform 404 must not tell an unknown link from an inactive one by its latency. Wall-clock limits on a
 * shared 2-core machine are flaky, so this suite compares the work instead: the SQL statements each request
 * runs, in order (their text, not their parameters). Equal statements on equal-sized rows take equal time;
 * the bench (bench/src/uniform-404.ts) measures the latencies themselves.
 */
describe.each(testDatabases())(
  'the uniform 404 does the same work for unknown and inactive links on %s',
  (target) => {
    let app: FastifyInstance;
    let db: Database;
    let drop: () => Promise<void>;
    const statements: string[] = [];
    const clock = new ManualClock();
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const created = await target.create();
      drop = created.drop;
      const log = (event: LogEvent) => {
        if (event.level === 'query') statements.push(event.query.sql);
      };
      db =
        created.env.DATABASE_URL === undefined
          ? new Kysely<DatabaseSchema>({ dialect: new PGliteDialect(await PGlite.create()), log })
          : new Kysely<DatabaseSchema>({
              dialect: new PostgresDialect({
                pool: new pg.Pool({ connectionString: created.env.DATABASE_URL }),
              }),
              log,
            });
      await migrateToLatest(db);
      const config = loadConfig({
        PUBLIC_BASE_URL: BASE,
        SHL_DEMO: 'false',
        SHL_API_KEY: API_KEY,
        ...created.env,
      });
      ({ app } = await createApp({ config, db, clock, keyEncryptionKey: new Uint8Array(randomBytes(32)) }));
      await app.ready();
      const create = async (settings: Record<string, unknown>) => {
        const response = await app.inject({
          method: 'POST',
          url: '/api/links',
          headers: AUTH,
          payload: { content: { resourceType: 'Patient' }, ...settings },
        });
        expect(response.statusCode).toBe(201);
        return response.json<{ id: string }>().id;
      };
      const nowSeconds = Math.floor(clock.now() / 1000);
      ids.expired = await create({ expiresAt: nowSeconds + 60 });
      ids.revoked = await create({});
      ids.deactivated = await create({});
      ids.usedUp = await create({ maxUses: 1 });
      ids.locked = await create({ passcode: 'right passcode', passcodeAttempts: 1 });
      ids.directRevoked = await create({ direct: true });
      await app.inject({ method: 'DELETE', url: `/api/links/${ids.revoked}`, headers: AUTH });
      await app.inject({ method: 'DELETE', url: `/api/links/${ids.directRevoked}`, headers: AUTH });
      await app.inject({
        method: 'PATCH',
        url: `/api/links/${ids.deactivated}`,
        headers: AUTH,
        payload: { active: false },
      });
      await app.inject({ method: 'POST', url: `/shl/${ids.usedUp}`, payload: { recipient: 'first' } });
      await app.inject({
        method: 'POST',
        url: `/shl/${ids.locked}`,
        payload: { recipient: 'guesser', passcode: 'wrong passcode' },
      });
      clock.advance(120_000);
    });
    afterAll(async () => {
      await app?.close();
      await db?.destroy();
      await drop?.();
    });

    /** The statements one request runs, and its answer. */
    const workOf = async (request: {
      method: 'POST' | 'GET';
      url: string;
      payload?: Record<string, string>;
    }) => {
      statements.length = 0;
      const response = await app.inject(request);
      return {
        status: response.statusCode,
        code: response.json<{ error?: { code: string } }>().error?.code,
        sql: [...statements],
      };
    };
    const unknownId = () => randomBytes(32).toString('base64url');

    it.each(['expired', 'revoked', 'deactivated', 'usedUp', 'locked'])(
      'a manifest request to a %s link runs the statements an unknown id runs',
      async (kind) => {
        const body = { recipient: 'someone' };
        const unknown = await workOf({ method: 'POST', url: `/shl/${unknownId()}`, payload: body });
        const inactive = await workOf({ method: 'POST', url: `/shl/${ids[kind]}`, payload: body });
        expect(unknown).toMatchObject({ status: 404, code: 'SHL_NOT_FOUND' });
        expect(inactive).toMatchObject({ status: 404, code: 'SHL_NOT_FOUND' });
        expect(unknown.sql.length).toBeGreaterThan(1);
        expect(inactive.sql).toEqual(unknown.sql);
      },
    );

    it('a direct-file request to a deleted U link runs the statements an unknown id runs', async () => {
      const unknown = await workOf({ method: 'GET', url: `/shl/${unknownId()}?recipient=someone` });
      const inactive = await workOf({ method: 'GET', url: `/shl/${ids.directRevoked}?recipient=someone` });
      expect(unknown).toMatchObject({ status: 404, code: 'SHL_NOT_FOUND' });
      expect(inactive).toMatchObject({ status: 404, code: 'SHL_NOT_FOUND' });
      expect(unknown.sql.length).toBeGreaterThan(0);
      expect(inactive.sql).toEqual(unknown.sql);
    });

    it('logs a refusal with a commit that waits for the disk (nothing turns synchronous_commit off)', async () => {
      const inactive = await workOf({
        method: 'POST',
        url: `/shl/${ids.revoked}`,
        payload: { recipient: 's' },
      });
      expect(inactive.sql.some((text) => /insert into "shl_access_log"/i.test(text))).toBe(true);
      expect(inactive.sql.some((text) => /synchronous_commit/i.test(text))).toBe(false);
    });
  },
);

describe.each(testDatabases())('the uniform 404 keeps to SHL_NOT_FOUND_FLOOR_MS on $name', (target) => {
  const FLOOR_MS = 3000;
  let server: ListeningServer;
  beforeAll(async () => {
    server = await startListeningServer(target, { SHL_NOT_FOUND_FLOOR_MS: String(FLOOR_MS) });
  });
  afterAll(() => server?.close());

  const timed = async (url: string, init: RequestInit) => {
    const started = performance.now();
    const response = await fetch(url, init);
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  };
  const manifestRequest = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ recipient: 'someone' }),
  };

  it('answers an unknown id, a deleted link and a deleted U link no sooner than the floor', async () => {
    const create = async (settings: Record<string, unknown>) => {
      const response = await fetch(`${server.url}/api/links`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ content: { resourceType: 'Patient' }, ...settings }),
      });
      expect(response.status).toBe(201);
      const { id, payload } = (await response.json()) as { id: string; payload: { url: string } };
      const deleted = await fetch(`${server.url}/api/links/${id}`, { method: 'DELETE', headers: AUTH });
      await deleted.arrayBuffer();
      return payload.url;
    };
    const deletedLink = await create({});
    const deletedDirect = await create({ direct: true });
    const answers = await Promise.all([
      timed(`${server.url}/shl/${randomBytes(32).toString('base64url')}`, manifestRequest),
      timed(deletedLink, manifestRequest),
      timed(`${deletedDirect}?recipient=someone`, { method: 'GET' }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      // A timer's wait may end up to a millisecond early by the clock the test reads.
      expect(answer.ms).toBeGreaterThanOrEqual(FLOOR_MS - 1);
    }
  });

  it('does not hold back an answer that serves the link', async () => {
    const response = await fetch(`${server.url}/api/links`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ content: { resourceType: 'Patient' } }),
    });
    const { payload } = (await response.json()) as { payload: { url: string } };
    const served = await timed(payload.url, manifestRequest);
    expect(served.status).toBe(200);
    expect(served.ms).toBeLessThan(FLOOR_MS);
  });
});
