import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser } from '../src/auth/admin-users.js';
import { dashboardCountsQuery, recentAccessesQuery } from '../src/dashboard/dashboard.repository.js';
import { testDatabases } from './support/databases.js';
import { AUTH, countRows, startTestApp, type TestApp } from './support/test-app.js';

const patient = { resourceType: 'Patient', id: 'p1' };
const DAY_SECONDS = 86_400;
const PASSWORD = 'operator-password-1';

describe.each(testDatabases())('GET /api/dashboard on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
    await createAdminUser(t.db, { username: 'olga', password: PASSWORD, role: 'operator' });
  });
  afterAll(() => t?.close());

  const nowSeconds = () => Math.floor(t.clock.now() / 1000);
  const create = async (payload: Record<string, unknown>): Promise<string> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: AUTH,
      payload: { content: patient, ...payload },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const open = (id: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/shl/${id}`, payload: body });
  const dashboard = (query = '') => t.app.inject({ url: `/api/dashboard${query}`, headers: AUTH });

  it('counts links by status, created, opened and expiring soon, and lists the newest accesses across links', async () => {
    const empty = (await dashboard()).json();
    expect(empty).toEqual({
      counts: {
        created: { total: 0, last7Days: 0 },
        opened: 0,
        active: 0,
        expired: 0,
        revoked: 0,
        locked: 0,
        usedUp: 0,
        expiringSoon: 0,
      },
      recentAccesses: [],
    });

    await create({ label: 'old', expiresAt: nowSeconds() + DAY_SECONDS });
    t.clock.advance(8 * DAY_SECONDS * 1000);
    const opened = await create({ label: '<b>opened</b>' });
    await create({ label: 'soon', expiresAt: nowSeconds() + 3 * DAY_SECONDS });
    await create({ label: 'later', expiresAt: nowSeconds() + 30 * DAY_SECONDS });
    const locked = await create({ label: 'locked', passcode: 'right', passcodeAttempts: 1 });
    const usedUp = await create({ label: 'used up', maxUses: 1 });
    const revoked = await create({ label: 'revoked' });
    const deactivated = await create({ label: 'deactivated' });

    expect((await open(opened, { recipient: 'Dr <i>Who</i>' })).statusCode).toBe(200);
    t.clock.advance(1000);
    expect((await open(locked, { recipient: 'guesser', passcode: 'wrong' })).statusCode).toBe(401);
    t.clock.advance(1000);
    expect((await open(usedUp, { recipient: 'clinic' })).statusCode).toBe(200);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/links/${revoked}`, headers: AUTH });
    expect(del.statusCode).toBe(204);
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${deactivated}`,
      headers: AUTH,
      payload: { active: false },
    });
    expect(off.statusCode).toBe(200);

    const res = await dashboard();
    expect(res.statusCode).toBe(200);
    const { counts, recentAccesses } = res.json();
    expect(counts).toEqual({
      created: { total: 8, last7Days: 7 },
      opened: 2,
      active: 3,
      expired: 1,
      revoked: 2,
      locked: 1,
      usedUp: 1,
      expiringSoon: 1,
    });
    // The counts agree with the list's status filter: one status rule.
    for (const [status, key] of [
      ['active', 'active'],
      ['expired', 'expired'],
      ['revoked', 'revoked'],
      ['locked', 'locked'],
      ['used-up', 'usedUp'],
    ] as const) {
      const list = await t.app.inject({ url: `/api/links?status=${status}&limit=200`, headers: AUTH });
      expect(list.json().links.length, status).toBe(counts[key]);
    }

    expect(recentAccesses).toEqual([
      {
        id: expect.any(String),
        linkId: usedUp,
        label: 'used up',
        at: new Date(t.clock.now()).toISOString(),
        recipient: 'clinic',
        path: 'manifest',
        outcome: 'ok',
      },
      expect.objectContaining({ linkId: locked, recipient: 'guesser', outcome: 'wrong-passcode' }),
      expect.objectContaining({ linkId: opened, label: '<b>opened</b>', recipient: 'Dr <i>Who</i>' }),
    ]);
    const two = (await dashboard('?recent=2')).json();
    expect(two.recentAccesses.map((a: { linkId: string }) => a.linkId)).toEqual([usedUp, locked]);
  });

  it('counts a link that expires within 7 days as expiring soon, and as expired from its exp second on', async () => {
    const before = (await dashboard()).json().counts;
    const exp = nowSeconds() + 7 * DAY_SECONDS;
    const id = await create({ expiresAt: exp });
    expect((await dashboard()).json().counts).toMatchObject({
      active: before.active + 1,
      expiringSoon: before.expiringSoon + 1,
    });
    t.clock.advance((exp - nowSeconds()) * 1000);
    const after = (await dashboard()).json().counts;
    const expired = (await t.app.inject({ url: '/api/links?status=expired&limit=200', headers: AUTH })).json()
      .links as { id: string }[];
    expect(expired.map((link) => link.id)).toContain(id);
    expect(after.expired).toBe(expired.length);
    expect(after.expiringSoon).toBe(0);
  });

  it('answers 401 without credentials, and an operator session reads it without a CSRF token (a read)', async () => {
    const anonymous = await t.app.inject({ url: '/api/dashboard' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('SHL_UNAUTHORIZED');
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'olga', password: PASSWORD },
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    const res = await t.app.inject({ url: '/api/dashboard', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().counts.created.total).toBeGreaterThan(0);
  });

  it('answers 400 SHL_VALIDATION_FAILED in our shape for a bad recent count, and writes nothing', async () => {
    const before = await countRows(t.db);
    for (const query of ['?recent=0', '?recent=101', '?recent=ten', '?recent=-1']) {
      const res = await dashboard(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'SHL_VALIDATION_FAILED' });
    }
    expect(await countRows(t.db)).toEqual(before);
  });
});

describe.each(testDatabases())('GET /api/dashboard at 100,000 links on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
    const started = performance.now();
    // A tenth each revoked, used up, expired and expiring within days, and a tenth with a passcode, of which
    // one in a hundred is locked (locked links are rare: with thousands of them the planner may rightly
    // prefer one pass over the links to thousands of index probes); a third opened; the rest never expire.
    await sql`insert into shl_links (id, label, flags, expires_at, revoked_at, uses, max_uses, created_at, updated_at)
      select 'bulk-' || lpad(i::text, 38, '0'), 'bulk link ' || i, case when i % 10 = 3 then 'P' else '' end,
        case when i % 10 = 4 then 1000000000 when i % 10 = 5 then 1893456000 + i % 500000 else null end,
        case when i % 10 = 1 then now() else null end,
        case when i % 3 = 0 or i % 10 = 2 then 1 else 0 end,
        case when i % 10 = 2 then 1 else null end,
        timestamptz '2029-12-01' + i * interval '1 second', now()
      from generate_series(1, 100000) i`.execute(t.db);
    await sql`insert into shl_passcodes (link_id, hash, attempts, remaining, updated_at)
      select id, 'x', 3, case when seq % 1000 = 3 then 0 else 3 end, now() from shl_links where flags = 'P'`.execute(
      t.db,
    );
    await sql`insert into shl_access_log (link_id, at, recipient, path, outcome)
      select id, created_at, 'bulk', 'manifest', 'ok' from shl_links where uses > 0`.execute(t.db);
    // As autovacuum leaves a table: statistics and the visibility map up to date.
    await sql`vacuum analyze`.execute(t.db);
    console.info(`${target.name}: 100,000 links inserted in ${Math.round(performance.now() - started)} ms`);
  }, 180_000);
  afterAll(() => t?.close());

  it('reads every count through an index, never a sequential scan of links, passcodes or accesses', async () => {
    const now = new Date(t.clock.now());
    const explain = async (query: CompiledQuery) => {
      const { rows } = await t.db.executeQuery(
        CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]),
      );
      return rows.map((row) => String(Object.values(row as object)[0])).join('\n');
    };
    const counts = await explain(dashboardCountsQuery(t.db, now));
    const recent = await explain(recentAccessesQuery(t.db, 20).compile());
    for (const index of [
      'shl_links_created_at',
      'shl_links_opened',
      'shl_links_revoked',
      'shl_passcodes_spent',
      'shl_links_used_up',
      'shl_links_expiry',
    ]) {
      expect(counts).toContain(index);
    }
    expect(counts).not.toMatch(/Seq Scan/);
    expect(recent).toContain('Index Scan Backward using shl_access_log_pkey');
    expect(recent).not.toMatch(/Seq Scan/);

    for (const round of ['first', 'second']) {
      const started = performance.now();
      const res = await t.app.inject({ url: '/api/dashboard', headers: AUTH });
      const ms = Math.round(performance.now() - started);
      expect(res.statusCode).toBe(200);
      const { counts: answer, recentAccesses } = res.json();
      expect(answer.created.total).toBe(100_000);
      expect(answer.locked).toBe(100);
      expect(recentAccesses).toHaveLength(20);
      console.info(`${target.name}: GET /api/dashboard at 100,000 links, ${round} request: ${ms} ms`);
    }
  });
});
