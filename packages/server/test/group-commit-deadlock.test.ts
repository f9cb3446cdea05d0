import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BatchRequest, serveMany } from '../src/group-commit/serve-many.js';
import { describePostgres, postgresTargets } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Batches in flight at once (maxInFlight 4 per path on PostgreSQL, and other processes)
 * lock several link rows (the use count) and activity rows (the statement trigger) each. They take them in
 * id order (links/lock-links.ts), so batches of different links and sizes never deadlock (40P01 would fail
 * a whole batch). Before that order, this test saw 28 of 160 batches fail.
 */
describePostgres.each(postgresTargets())('concurrent batches over overlapping links on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  it('never fail with a deadlock', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 60; n++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: { resourceType: 'Patient', id: 'p' } },
      });
      ids.push(res.json<{ id: string }>().id);
    }
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const batchOf = (): BatchRequest[] => {
      const size = 2 + Math.floor(random() * 58);
      const picked = [...ids].sort(() => random() - 0.5).slice(0, size);
      return picked.map((linkId) => ({ path: 'manifest', linkId, recipient: 'r', cap: null }));
    };
    const failures: string[] = [];
    for (let round = 0; round < 40; round++) {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 4 }, () => serveMany(t.db, 'manifest', new Date(t.clock.now()), batchOf())),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') failures.push(String((outcome.reason as { code?: string }).code));
      }
    }
    expect(failures).toEqual([]);
  });
});
