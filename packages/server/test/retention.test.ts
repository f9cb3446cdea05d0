import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepRetention } from '../src/retention/sweep-retention.js';
import { testDatabases } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const DAY_MS = 86_400_000;
const PERIODS = { retentionDays: 30, retentionPersonalDays: 90 };
const RECIPIENT = 'Dr. Alice Example';

describe.each(testDatabases())('the retention sweep on %s', (target) => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  const create = async (label: string, settings: Record<string, unknown> = {}): Promise<string> => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: AUTH,
      payload: { label, content: { resourceType: 'Patient', id: label }, ...settings },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string }>().id;
  };
  const ask = (id: string, passcode?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/shl/${id}`,
      payload: { recipient: RECIPIENT, ...(passcode === undefined ? {} : { passcode }) },
    });
  const sweep = () => sweepRetention(t.db, new Date(t.clock.now()), PERIODS);
  const fileCount = async (id: string) =>
    Number(
      (
        await t.db
          .selectFrom('shl_files')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('link_id', '=', id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const accessRows = (id: string) =>
    t.db
      .selectFrom('shl_access_log')
      .select(['recipient', 'outcome', 'path'])
      .where('link_id', '=', id)
      .orderBy('id')
      .execute();
  const view = async (id: string) => {
    const response = await t.app.inject({ url: `/api/links/${id}`, headers: AUTH });
    expect(response.statusCode).toBe(200);
    return response.json<{ status: string; label: string | null; uses: number; accessCount: number }>();
  };

  beforeAll(async () => {
    t = await startTestApp(target);
    const nowSeconds = Math.floor(t.clock.now() / 1000);
    ids.active = await create('active');
    ids.expired = await create('expired', { expiresAt: nowSeconds + 86_400 });
    ids.revoked = await create('revoked');
    ids.usedUp = await create('used up', { maxUses: 1 });
    ids.locked = await create('locked', { passcode: 'right passcode', passcodeAttempts: 1 });
    ids.deactivated = await create('deactivated');
    for (const id of [ids.active, ids.expired, ids.revoked, ids.usedUp, ids.deactivated]) {
      expect((await ask(id ?? '')).statusCode).toBe(200);
    }
    expect((await ask(ids.locked ?? '', 'wrong passcode')).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/links/${ids.revoked}`, headers: AUTH })).statusCode,
    ).toBe(204);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${ids.deactivated}`,
      headers: AUTH,
      payload: { active: false },
    });
    expect(patched.statusCode).toBe(200);
    t.clock.advance(2 * DAY_MS);
  });
  afterAll(() => t?.close());

  const inactive = () =>
    ['expired', 'revoked', 'usedUp', 'locked', 'deactivated'].map((key) => ids[key] ?? '');

  it('keeps everything while links have been inactive for less than SHL_RETENTION_DAYS', async () => {
    t.clock.advance(20 * DAY_MS);
    expect(await sweep()).toEqual({ purged: 0, erased: 0 });
    // A deleted link lost its files when it was deleted; every other one keeps them.
    for (const id of [ids.active ?? '', ...inactive().filter((id) => id !== ids.revoked)]) {
      expect(await fileCount(id)).toBeGreaterThan(0);
    }
  });

  it('purges the files of links inactive for longer, once, even with two sweeps at the same time, and never an active link', async () => {
    t.clock.advance(20 * DAY_MS);
    const before = await Promise.all(inactive().map((id) => view(id)));
    const [one, two] = await Promise.all([sweep(), sweep()]);
    expect((one?.purged ?? 0) + (two?.purged ?? 0)).toBe(5);
    expect(await sweep()).toEqual({ purged: 0, erased: 0 });
    for (const id of inactive()) expect(await fileCount(id)).toBe(0);
    expect(await fileCount(ids.active ?? '')).toBeGreaterThan(0);
    expect((await ask(ids.active ?? '')).statusCode).toBe(200);
    const after = await Promise.all(inactive().map((id) => view(id)));
    for (const [index, link] of after.entries()) {
      expect(link.status).toBe('revoked');
      expect(link.uses).toBe(before[index]?.uses);
      expect(link.accessCount).toBe(before[index]?.accessCount);
      expect(link.label).toBe(before[index]?.label);
    }
  });

  it('leaves a tombstone that answers the uniform 404 and cannot be reactivated', async () => {
    for (const id of inactive()) {
      const response = await ask(id);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'SHL_NOT_FOUND' } });
    }
    const reactivate = await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${ids.deactivated}`,
      headers: AUTH,
      payload: { active: true },
    });
    expect(reactivate.statusCode).toBe(409);
    expect(reactivate.json()).toMatchObject({ error: { code: 'SHL_LINK_REVOKED' } });
  });

  it('erases labels and recipient names after SHL_RETENTION_PERSONAL_DAYS, keeping every access row and outcome', async () => {
    const before = await Promise.all(inactive().map((id) => accessRows(id)));
    for (const rows of before) expect(rows.some((row) => row.recipient === RECIPIENT)).toBe(true);
    t.clock.advance(20 * DAY_MS);
    expect(await sweep()).toEqual({ purged: 0, erased: 0 });
    t.clock.advance(40 * DAY_MS);
    expect(await sweep()).toEqual({ purged: 0, erased: 5 });
    expect(await sweep()).toEqual({ purged: 0, erased: 0 });
    const after = await Promise.all(inactive().map((id) => accessRows(id)));
    for (const [index, rows] of after.entries()) {
      expect(rows.map(({ outcome, path }) => ({ outcome, path }))).toEqual(
        before[index]?.map(({ outcome, path }) => ({ outcome, path })),
      );
      expect(rows.every((row) => row.recipient === null)).toBe(true);
    }
    for (const id of inactive()) expect((await view(id)).label).toBeNull();
    expect((await view(ids.active ?? '')).label).toBe('active');
    expect((await accessRows(ids.active ?? '')).every((row) => row.recipient === RECIPIENT)).toBe(true);
  });

  it('logs later requests to an erased tombstone without the name, still as 404', async () => {
    const id = ids.expired ?? '';
    expect((await ask(id)).statusCode).toBe(404);
    const rows = await accessRows(id);
    expect(rows.at(-1)).toEqual({ recipient: null, outcome: 'inactive', path: 'manifest' });
  });

  it('does nothing with SHL_RETENTION_DAYS=0', async () => {
    t.clock.advance(1000 * DAY_MS);
    expect(
      await sweepRetention(t.db, new Date(t.clock.now()), { retentionDays: 0, retentionPersonalDays: 0 }),
    ).toEqual({
      purged: 0,
      erased: 0,
    });
    expect(await fileCount(ids.active ?? '')).toBeGreaterThan(0);
  });
});
