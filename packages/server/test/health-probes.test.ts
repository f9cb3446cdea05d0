import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe.each(testDatabases())('/healthz and /readyz on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  it('/healthz answers 200 and /readyz answers 200 on a migrated database', async () => {
    const health = await t.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('/readyz answers 503 SHL_UNAVAILABLE with Retry-After while a migration of this version is missing', async () => {
    const last = await t.db
      .selectFrom('shl_migrations' as never)
      .select('name' as never)
      .orderBy('name' as never, 'desc')
      .executeTakeFirstOrThrow();
    const { name } = last as { name: string };
    await t.db
      .deleteFrom('shl_migrations' as never)
      .where('name' as never, '=', name as never)
      .execute();
    try {
      const ready = await t.app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect(ready.json().error.code).toBe('SHL_UNAVAILABLE');
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await t.db
        .insertInto('shl_migrations' as never)
        .values({ name, timestamp: new Date().toISOString() } as never)
        .execute();
    }
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });
});
