import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createAdminUser, ensureAdminAccount } from '../src/auth/admin-users.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open-database.js';
import { startServer } from '../src/server.js';
import { testDatabases } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const patient = { resourceType: 'Patient', id: 'p1' };
const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;

interface SignedIn {
  cookie: string;
  csrfToken: string;
  setCookie: string;
}

describe.each(testDatabases())('accounts, sessions and roles on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
    await createAdminUser(t.db, { username: 'alice', password: PASSWORD });
    await createAdminUser(t.db, { username: 'olga', password: PASSWORD, role: 'operator' });
  });
  afterAll(() => t?.close());

  const signIn = async (username: string, password = PASSWORD): Promise<SignedIn> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username, password },
    });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    return { cookie: setCookie.split(';')[0] ?? '', csrfToken: res.json().csrfToken, setCookie };
  };

  const as = (s: SignedIn, csrf = true) => ({
    cookie: s.cookie,
    ...(csrf ? { 'x-csrf-token': s.csrfToken } : {}),
  });

  const auditOf = async (query = '') =>
    (await t.app.inject({ method: 'GET', url: `/api/audit${query}`, headers: AUTH })).json().events as {
      at: string;
      actor: string;
      action: string;
      linkId?: string;
      details: Record<string, unknown>;
    }[];

  it('signs in: 200 with user and CSRF token, an http-only SameSite=Strict Secure cookie for Path=/', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'alice', password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: { username: 'alice', role: 'admin' }, csrfToken: expect.any(String) });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^shl_session=[A-Za-z0-9_-]{43}; /);
    for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Secure', 'Path=/']) {
      expect(cookie.split('; ')).toContain(attribute);
    }
  });

  it('stores only a hash of the session token', async () => {
    const s = await signIn('alice');
    const token = s.cookie.split('=')[1] ?? '';
    const rows = await t.db.selectFrom('shl_sessions').select('token_hash').execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.token_hash).not.toBe(token);
  });

  it('GET /api/session answers the user and CSRF token; DELETE ends the session', async () => {
    const s = await signIn('olga');
    const current = await t.app.inject({ method: 'GET', url: '/api/session', headers: as(s, false) });
    expect(current.statusCode).toBe(200);
    expect(current.json()).toEqual({ user: { username: 'olga', role: 'operator' }, csrfToken: s.csrfToken });
    const out = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: as(s) });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await t.app.inject({ method: 'GET', url: '/api/session', headers: as(s, false) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('SHL_UNAUTHORIZED');
  });

  it('answers a wrong password and an unknown user the same 401 SHL_BAD_CREDENTIALS, in the same time', async () => {
    const attempt = async (username: string) => {
      const started = performance.now();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username, password: 'not the password' },
      });
      return { res, ms: performance.now() - started };
    };
    const wrong = await attempt('alice');
    const unknown = await attempt('nobody-at-all');
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.statusCode).toBe(401);
    expect(unknown.res.json()).toEqual(wrong.res.json());
    expect(wrong.res.json().error.code).toBe('SHL_BAD_CREDENTIALS');
    expect(unknown.res.headers['set-cookie']).toBeUndefined();
    // Both run one scrypt: take the fastest of a few tries each, so load spikes on shared cores cancel.
    const fastest = async (username: string) => {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 4; i++) best = Math.min(best, (await attempt(username)).ms);
      return best;
    };
    const [known, none] = [await fastest('alice'), await fastest('nobody-at-all')];
    expect(none).toBeGreaterThan(known * 0.5);
    expect(known).toBeGreaterThan(none * 0.5);
  });

  it('a disabled account is refused with the same SHL_BAD_CREDENTIALS', async () => {
    await createAdminUser(t.db, { username: 'dora', password: PASSWORD, role: 'operator' });
    await t.db
      .updateTable('shl_admin_users')
      .set({ disabled_at: new Date() })
      .where('username', '=', 'dora')
      .execute();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'dora', password: PASSWORD },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SHL_BAD_CREDENTIALS');
  });

  it('a session ends after the idle time; each request starts the idle time again', async () => {
    const s = await signIn('alice');
    const get = () => t.app.inject({ method: 'GET', url: '/api/session', headers: as(s, false) });
    t.clock.advance(29 * MINUTE);
    expect((await get()).statusCode).toBe(200);
    t.clock.advance(29 * MINUTE);
    expect((await get()).statusCode).toBe(200);
    t.clock.advance(30 * MINUTE);
    expect((await get()).statusCode).toBe(401);
  });

  it('a session ends at its maximum age however active it is', async () => {
    const s = await signIn('alice');
    const get = () => t.app.inject({ method: 'GET', url: '/api/session', headers: as(s, false) });
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      t.clock.advance(20 * MINUTE);
      expect((await get()).statusCode, `after ${elapsed + 20} minutes`).toBe(200);
    }
    t.clock.advance(20 * MINUTE);
    expect((await get()).statusCode).toBe(401);
  });

  it('a state-changing request with a session cookie needs its x-csrf-token: 403 SHL_CSRF without', async () => {
    const s = await signIn('olga');
    const post = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/links', headers, payload: { content: patient } });
    const missing = await post(as(s, false));
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('SHL_CSRF');
    const wrong = await post({ cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) });
    expect(wrong.json().error.code).toBe('SHL_CSRF');
    const link = await post(as(s));
    expect(link.statusCode).toBe(201);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/links/${link.json().id}`,
      headers: as(s, false),
    });
    expect(read.statusCode).toBe(200);
    const signOut = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: as(s, false) });
    expect(signOut.json().error.code).toBe('SHL_CSRF');
  });

  it('a bearer API key needs no CSRF token, and HTTP Basic is no longer accepted', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: AUTH,
      payload: { content: patient },
    });
    expect(res.statusCode).toBe(201);
    const basic = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/links',
      headers: { authorization: basic },
    });
    expect(refused.statusCode).toBe(401);
  });

  it('an operator gets 403 SHL_FORBIDDEN on users and API keys; an admin does not', async () => {
    const op = await signIn('olga');
    const calls = [
      { method: 'GET', url: '/api/users' },
      { method: 'POST', url: '/api/users', payload: { username: 'x', password: PASSWORD, role: 'admin' } },
      { method: 'GET', url: '/api/keys' },
      { method: 'POST', url: '/api/keys', payload: { name: 'mine' } },
      { method: 'DELETE', url: '/api/keys/abc' },
    ] as const;
    for (const call of calls) {
      const res = await t.app.inject({ ...call, headers: as(op) });
      expect(res.statusCode, `${call.method} ${call.url}`).toBe(403);
      expect(res.json().error.code).toBe('SHL_FORBIDDEN');
    }
    const admin = await signIn('alice');
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: as(admin) })).statusCode).toBe(
      200,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/keys', headers: as(admin) })).statusCode).toBe(
      200,
    );
  });

  it('manages users: create, change role, disable (ends sessions), delete (ends sessions)', async () => {
    const admin = await signIn('alice');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: as(admin),
      payload: { username: 'carol', password: PASSWORD, role: 'operator' },
    });
    expect(created.statusCode).toBe(201);
    const carol = created.json();
    expect(carol).toMatchObject({ username: 'carol', role: 'operator', disabled: false });
    const taken = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: as(admin),
      payload: { username: 'carol', password: PASSWORD, role: 'operator' },
    });
    expect(taken.json().error.code).toBe('SHL_USERNAME_TAKEN');
    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: as(admin) });
    expect(list.json().users.map((u: { username: string }) => u.username)).toContain('carol');

    const patch = (body: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: `/api/users/${carol.id}`, headers: as(admin), payload: body });
    expect((await patch({ role: 'admin' })).json()).toMatchObject({ role: 'admin' });

    const carolSession = await signIn('carol');
    const probe = () =>
      t.app.inject({ method: 'GET', url: '/api/session', headers: as(carolSession, false) });
    expect((await probe()).json().user.role).toBe('admin');
    expect((await patch({ disabled: true })).json()).toMatchObject({ disabled: true });
    expect((await probe()).statusCode).toBe(401);
    expect((await patch({ disabled: false, password: 'another long password' })).json().disabled).toBe(false);

    const again = await signIn('carol', 'another long password');
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/users/${carol.id}`,
      headers: as(admin),
    });
    expect(deleted.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/session', headers: as(again, false) })).statusCode,
    ).toBe(401);
    const gone = await t.app.inject({ method: 'DELETE', url: `/api/users/${carol.id}`, headers: as(admin) });
    expect(gone.json().error.code).toBe('SHL_NOT_FOUND');
  });

  it('never lets the last enabled admin be demoted, disabled or deleted: 409 SHL_LAST_ADMIN', async () => {
    const admins = await t.db
      .selectFrom('shl_admin_users')
      .select(['id', 'username'])
      .where('role', '=', 'admin')
      .execute();
    expect(admins.map((a) => a.username)).toEqual(['alice']);
    const id = admins[0]?.id ?? '';
    for (const [method, payload] of [
      ['PATCH', { role: 'operator' }],
      ['PATCH', { disabled: true }],
      ['DELETE', undefined],
    ] as const) {
      const res = await t.app.inject({ method, url: `/api/users/${id}`, headers: AUTH, payload });
      expect(res.statusCode, `${method} ${JSON.stringify(payload)}`).toBe(409);
      expect(res.json().error.code).toBe('SHL_LAST_ADMIN');
    }
  });

  it('writes an audit row for sign-in, failed sign-in, sign-out, keys and users, filterable and paged', async () => {
    const before = (await auditOf('?limit=500')).length;
    await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'alice', password: 'nope nope nope' },
    });
    const admin = await signIn('alice');
    const key = (
      await t.app.inject({ method: 'POST', url: '/api/keys', headers: as(admin), payload: { name: 'ci' } })
    ).json();
    await t.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, headers: as(admin) });
    const user = (
      await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: as(admin),
        payload: { username: 'erin', password: PASSWORD, role: 'operator' },
      })
    ).json();
    await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: as(admin),
      payload: { role: 'admin' },
    });
    await t.app.inject({ method: 'DELETE', url: `/api/users/${user.id}`, headers: as(admin) });
    await t.app.inject({ method: 'DELETE', url: '/api/session', headers: as(admin) });

    const events = (await auditOf('?limit=500')).slice(0, -before || undefined).reverse();
    expect(events.map((e) => [e.actor, e.action])).toEqual([
      ['alice', 'session.sign-in-failed'],
      ['alice', 'session.signed-in'],
      ['alice', 'key.created'],
      ['alice', 'key.revoked'],
      ['alice', 'user.created'],
      ['alice', 'user.changed'],
      ['alice', 'user.deleted'],
      ['alice', 'session.signed-out'],
    ]);
    expect(events[2]?.details).toEqual({ keyId: key.id, name: 'ci', scopes: ['admin'] });
    expect(events[5]?.details).toMatchObject({ userId: user.id, role: 'admin' });
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
    for (const event of events) expect(event.at).toBe(new Date(t.clock.now()).toISOString());

    const keyEvents = await auditOf('?action=key.created');
    expect(keyEvents.every((e) => e.action === 'key.created')).toBe(true);
    const byActor = await auditOf('?actor=alice&action=user.deleted&limit=1');
    expect(byActor).toEqual([events[6]]);

    const first = (await t.app.inject({ method: 'GET', url: '/api/audit?limit=2', headers: AUTH })).json();
    expect(first.events).toHaveLength(2);
    const second = (
      await t.app.inject({
        method: 'GET',
        url: `/api/audit?limit=2&cursor=${first.nextCursor}`,
        headers: AUTH,
      })
    ).json();
    expect(second.events[0]).toEqual(events.at(-3));
  });

  it('audits link creation, change, content replacement and revocation with the link id, never a passcode', async () => {
    const op = await signIn('olga');
    const link = (
      await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: as(op),
        payload: { content: patient, longTerm: true },
      })
    ).json();
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${link.id}`,
      headers: as(op),
      payload: { label: 'For Dr. Who', passcode: 'secret-passcode-1' },
    });
    expect(patch.statusCode).toBe(200);
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/links/${link.id}/files`,
      headers: AUTH,
      payload: { content: patient },
    });
    expect(put.statusCode).toBe(200);
    await t.app.inject({ method: 'DELETE', url: `/api/links/${link.id}`, headers: as(op) });
    const events = (await auditOf(`?linkId=${link.id}`)).reverse();
    expect(events.map((e) => [e.actor, e.action, e.linkId])).toEqual([
      ['olga', 'link.created', link.id],
      ['olga', 'link.changed', link.id],
      ['SHL_API_KEY', 'link.content-replaced', link.id],
      ['olga', 'link.revoked', link.id],
    ]);
    expect(events[1]?.details).toEqual({ changed: ['label', 'passcode'] });
    expect(JSON.stringify(events)).not.toContain('secret-passcode-1');
  });

  it('a link revocation whose audit row cannot be written is rolled back', async () => {
    const link = (
      await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: { content: patient } })
    ).json();
    await sql`alter table shl_audit_log add constraint no_link_revoked check (action <> 'link.revoked') not valid`.execute(
      t.db,
    );
    try {
      const res = await t.app.inject({ method: 'DELETE', url: `/api/links/${link.id}`, headers: AUTH });
      expect(res.statusCode).toBe(500);
    } finally {
      await sql`alter table shl_audit_log drop constraint no_link_revoked`.execute(t.db);
    }
    const after = await t.app.inject({ method: 'GET', url: `/api/links/${link.id}`, headers: AUTH });
    expect(after.json().status).toBe('active');
  });

  it('an operator may read the audit trail', async () => {
    const op = await signIn('olga');
    const res = await t.app.inject({ method: 'GET', url: '/api/audit?actor=olga', headers: as(op) });
    expect(res.statusCode).toBe(200);
    expect(res.json().events[0]).toMatchObject({ actor: 'olga', action: 'session.signed-in' });
  });

  it('writes the audit row in the change’s transaction: a change fails without its row, and vice versa', async () => {
    const frank = await createAdminUser(t.db, { username: 'frank', password: PASSWORD, role: 'operator' });
    // The audit row cannot be written: the deletion it records is rolled back with it.
    await sql`alter table shl_audit_log add constraint no_user_deleted check (action <> 'user.deleted') not valid`.execute(
      t.db,
    );
    try {
      const res = await t.app.inject({ method: 'DELETE', url: `/api/users/${frank.id}`, headers: AUTH });
      expect(res.statusCode).toBe(500);
      const still = await t.db
        .selectFrom('shl_admin_users')
        .select('id')
        .where('id', '=', frank.id)
        .execute();
      expect(still).toHaveLength(1);
    } finally {
      await sql`alter table shl_audit_log drop constraint no_user_deleted`.execute(t.db);
    }
    // The change fails: no audit row tells of it.
    await sql`alter table shl_admin_users add constraint no_admin_frank check (username <> 'frank' or role <> 'admin') not valid`.execute(
      t.db,
    );
    try {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${frank.id}`,
        headers: AUTH,
        payload: { role: 'admin' },
      });
      expect(res.statusCode).toBe(500);
      const rows = await t.db
        .selectFrom('shl_audit_log')
        .select('id')
        .where('action', '=', 'user.changed')
        .where(sql<boolean>`details->>'userId' = ${frank.id}`)
        .execute();
      expect(rows).toHaveLength(0);
    } finally {
      await sql`alter table shl_admin_users drop constraint no_admin_frank`.execute(t.db);
    }
  });

  it('SHL_ADMIN_USER/SHL_ADMIN_PASSWORD create an admin, and reset its password and sessions on restart', async () => {
    expect(await ensureAdminAccount(t.db, { username: 'root', password: PASSWORD })).toBe('created');
    const s = await signIn('root');
    expect(await ensureAdminAccount(t.db, { username: 'root', password: 'a brand new password' })).toBe(
      'reset',
    );
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/session', headers: as(s, false) })).statusCode,
    ).toBe(401);
    await signIn('root', 'a brand new password');
    const short = ensureAdminAccount(t.db, { username: 'root', password: 'short' });
    await expect(short).rejects.toMatchObject({ code: 'SHL_VALIDATION_FAILED' });
  });
});

// Two app instances share sessions only through a database server: an in-memory PGlite belongs to one
// process, so this suite runs over the PostgreSQL target alone (which under CI=true always runs).
for (const target of testDatabases().filter((database) => database.name === 'PostgreSQL')) {
  describe(`sessions shared by two app instances on ${target.name}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(target);
      await createAdminUser(t.db, { username: 'alice', password: PASSWORD });
    });
    afterAll(() => t?.close());

    it('a session made by one app instance is honoured by another on the same database', async () => {
      const signedIn = await t.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'alice', password: PASSWORD },
      });
      expect(signedIn.statusCode).toBe(200);
      const cookie = String(signedIn.headers['set-cookie']).split(';')[0] ?? '';
      const csrf = { cookie, 'x-csrf-token': signedIn.json().csrfToken as string };
      const db = await openDatabase(t.config);
      const other = await createApp({
        config: t.config,
        db,
        clock: t.clock,
        keyEncryptionKey: new Uint8Array(randomBytes(32)),
      });
      try {
        const res = await other.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
        expect(res.statusCode).toBe(200);
        expect(res.json().user).toEqual({ username: 'alice', role: 'admin' });
        const out = await other.app.inject({ method: 'DELETE', url: '/api/session', headers: csrf });
        expect(out.statusCode).toBe(204);
        const gone = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
        expect(gone.statusCode).toBe(401);
      } finally {
        await other.app.close();
        await db.destroy();
      }
    });
  });
}

describe('the admin account at start', () => {
  const start = (env: Record<string, string>) =>
    startServer({
      config: loadConfig({ PORT: '0', HOST: '127.0.0.1', SHL_DEMO: 'false', DATA_DIR: 'memory://', ...env }),
    });

  it('is created from SHL_ADMIN_USER and SHL_ADMIN_PASSWORD, or reported missing', async () => {
    const withAdmin = await start({ SHL_ADMIN_USER: 'root', SHL_ADMIN_PASSWORD: PASSWORD });
    try {
      expect(withAdmin.adminAccount).toEqual({ username: 'root', outcome: 'created' });
      expect(withAdmin.noAdminAccount).toBe(false);
      const res = await fetch(`${withAdmin.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'root', password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      // http: the cookie cannot be Secure, or the browser would never send it back.
      expect(res.headers.get('set-cookie')).not.toContain('Secure');
    } finally {
      await withAdmin.close();
    }
    const without = await start({});
    try {
      expect(without.adminAccount).toBeUndefined();
      expect(without.noAdminAccount).toBe(true);
    } finally {
      await without.close();
    }
  });

  it('refuses to start with only one of the two variables', async () => {
    await expect(start({ SHL_ADMIN_USER: 'root' })).rejects.toMatchObject({ code: 'SHL_CONFIG_INVALID' });
  });

  it('refuses a SHL_ADMIN_PASSWORD under 12 characters', () => {
    expect(() => loadConfig({ SHL_ADMIN_USER: 'root', SHL_ADMIN_PASSWORD: 'short' })).toThrow(
      /SHL_ADMIN_PASSWORD/,
    );
  });
});
