import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser } from '../src/auth/admin-users.js';
import { createPostgresDatabase, postgresAvailable, testDatabases } from './support/databases.js';
import { startIdentityProvider, type TestIdentityProvider } from './support/identity-provider.js';
import { buildServer, type ServerProcess, spawnServer } from './support/spawn-server.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const PASSWORD = 'correct horse battery';
const UNKNOWN_LINK = `/shl/${'x'.repeat(43)}`;
const manifestRequest = { recipient: 'Dr. Rate' };

/** The budgets these suites run under: small, so that a few requests reach them. */
const LIMITS = {
  SHL_RATE_LIMIT: 'on',
  SHL_RATE_LIMIT_PUBLIC: '4',
  SHL_RATE_LIMIT_AUTH_FAILURES: '3',
  SHL_RATE_LIMIT_SIGN_IN: '5',
  SHL_RATE_LIMIT_SIGN_IN_ACCOUNT: '3',
  // inject() comes from 127.0.0.1: the proxy whose X-Forwarded-For names the client.
  TRUST_PROXY: '127.0.0.1',
};

const from = (address: string) => ({ 'x-forwarded-for': address });

describe.each(testDatabases())('rate limits on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target, LIMITS);
    await createAdminUser(t.db, { username: 'alice', password: PASSWORD });
  });
  afterAll(() => t?.close());

  const failedSignIns = async (): Promise<number> =>
    (
      await t.db
        .selectFrom('shl_audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('action', '=', 'session.sign-in-failed')
        .executeTakeFirstOrThrow()
    ).n as number;

  it('answers the public endpoints 429 SHL_RATE_LIMITED with Retry-After past one address budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: UNKNOWN_LINK,
        headers: from('198.51.100.1'),
        payload: manifestRequest,
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json().error.code).toBe('SHL_RATE_LIMITED');
        const retryAfter = Number(res.headers['retry-after']);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        // A browser viewer can read the refusal and the wait.
        expect(res.headers['access-control-allow-origin']).toBe('*');
        expect(res.headers['access-control-expose-headers']).toContain('Retry-After');
      }
    }
    expect(statuses).toEqual([404, 404, 404, 404, 429]);
    // Another address has a budget of its own.
    const other = await t.app.inject({
      method: 'POST',
      url: UNKNOWN_LINK,
      headers: from('198.51.100.2'),
      payload: manifestRequest,
    });
    expect(other.statusCode).toBe(404);
  });

  it('counts direct-file and location requests into the same public budget, and lets the address in again in the next window', async () => {
    const address = from('198.51.100.3');
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      statuses.push(
        (await t.app.inject({ url: `${UNKNOWN_LINK}?recipient=x`, headers: address })).statusCode,
      );
      statuses.push(
        (await t.app.inject({ url: `${UNKNOWN_LINK}/files/f?ticket=${'t'.repeat(43)}`, headers: address }))
          .statusCode,
      );
    }
    const refused = await t.app.inject({ url: `${UNKNOWN_LINK}?recipient=x`, headers: address });
    expect(statuses).toEqual([404, 404, 404, 404]);
    expect(refused.statusCode).toBe(429);
    t.clock.advance(Number(refused.headers['retry-after']) * 1000);
    expect((await t.app.inject({ url: `${UNKNOWN_LINK}?recipient=x`, headers: address })).statusCode).toBe(
      404,
    );
  });

  it('does not count CORS preflights', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await t.app.inject({ method: 'OPTIONS', url: UNKNOWN_LINK, headers: from('198.51.100.4') });
      expect(res.statusCode).toBe(204);
    }
  });

  it('answers bad API keys 401 up to the address budget, then 429 with Retry-After', async () => {
    const bad = { ...from('203.0.113.7'), authorization: 'Bearer shlk_not-a-key-of-this-server' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await t.app.inject({ url: '/api/links', headers: bad })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const refused = await t.app.inject({ url: '/api/links', headers: bad });
    expect(refused.json().error.code).toBe('SHL_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Bad session cookies count into the same budget.
    const cookie = await t.app.inject({
      url: '/api/session',
      headers: { ...from('203.0.113.7'), cookie: 'shl_session=stale' },
    });
    expect(cookie.statusCode).toBe(429);
    // Another address still gets 401, and a right key is never refused.
    const other = await t.app.inject({
      url: '/api/links',
      headers: { ...from('203.0.113.8'), authorization: bad.authorization },
    });
    expect(other.statusCode).toBe(401);
    expect(
      (await t.app.inject({ url: '/api/links', headers: { ...AUTH, ...from('203.0.113.7') } })).statusCode,
    ).toBe(200);
  });

  it('does not count requests that send no credentials', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ url: '/api/session', headers: from('203.0.113.9') });
      expect(res.json().error.code).toBe('SHL_UNAUTHORIZED');
    }
  });

  it('limits sign-in per account while the addresses vary, before any password is hashed', async () => {
    const before = await failedSignIns();
    const answers: (string | number)[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/session',
        headers: from(`192.0.2.${10 + i}`),
        payload: { username: 'alice', password: `wrong password ${i}` },
      });
      answers.push(res.statusCode === 429 ? 429 : res.json().error.code);
      if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(answers).toEqual(['SHL_BAD_CREDENTIALS', 'SHL_BAD_CREDENTIALS', 'SHL_BAD_CREDENTIALS', 429, 429]);
    // Only three passwords were checked: the refused attempts never reached scrypt (nor the audit).
    expect(Number(await failedSignIns()) - Number(before)).toBe(3);
    // The right password is refused too while the account's window lasts: the budget counts attempts.
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: from('192.0.2.99'),
      payload: { username: ' ALICE', password: PASSWORD },
    });
    expect(right.statusCode).toBe(429);
    t.clock.advance(Number(right.headers['retry-after']) * 1000);
    const later = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: from('192.0.2.99'),
      payload: { username: 'alice', password: PASSWORD },
    });
    expect(later.statusCode).toBe(200);
  });

  it('limits sign-in per address while the usernames vary', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/session',
        headers: from('192.0.2.200'),
        payload: { username: `nobody-${i}`, password: 'wrong password' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('stores no address or username in the counters, only their hashes', async () => {
    const rows = await t.db.selectFrom('shl_rate_limits').select('key').execute();
    expect(rows.length).toBeGreaterThan(0);
    const keys = rows.map((row) => row.key).join(' ');
    expect(keys).not.toMatch(/alice|192\.0\.2|198\.51|203\.0/);
  });
});

describe.each(testDatabases())('refused bearer tokens of every kind on $name', (target) => {
  let t: TestApp;
  let idp: TestIdentityProvider;
  /** Every request the server made to the identity provider (discovery document and JWKS). */
  let issuerRequests = 0;
  beforeAll(async () => {
    idp = await startIdentityProvider();
    t = await startTestApp(
      target,
      { ...LIMITS, SHL_OIDC_ISSUER: idp.issuer, SHL_OIDC_AUDIENCE: idp.audience },
      {
        oidc: {
          jwksCooldownMs: 0,
          fetch: (input, init) => {
            issuerRequests += 1;
            return globalThis.fetch(input, init);
          },
        },
      },
    );
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  const statusesOf = async (headers: Record<string, string>, times: number): Promise<number[]> => {
    const statuses: number[] = [];
    for (let i = 0; i < times; i++)
      statuses.push((await t.app.inject({ url: '/api/links', headers })).statusCode);
    return statuses;
  };

  it('counts unknown management tokens, and then refuses a valid access token without checking it', async () => {
    const bad = { ...from('203.0.113.20'), authorization: 'Bearer shlm_not-a-token-of-this-server' };
    expect(await statusesOf(bad, 4)).toEqual([401, 401, 401, 429]);
    const valid = await idp.sign({ sub: 'alice' }, { now: t.clock.now() });
    const res = await t.app.inject({
      url: '/api/links',
      headers: { ...from('203.0.113.20'), authorization: `Bearer ${valid}` },
    });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('SHL_RATE_LIMITED');
    // The budget was spent: the token's signature was never checked, so the issuer was never asked.
    expect(issuerRequests).toBe(0);
  });

  it('counts access tokens that do not check out, and lets another address in with a valid one', async () => {
    const expired = await idp.sign({ sub: 'alice' }, { now: t.clock.now(), ttlSeconds: -60 });
    const bad = { ...from('203.0.113.21'), authorization: `Bearer ${expired}` };
    expect(await statusesOf(bad, 4)).toEqual([401, 401, 401, 429]);
    expect(issuerRequests).toBeGreaterThan(0);
    const valid = await idp.sign({ sub: 'alice' }, { now: t.clock.now() });
    const other = await t.app.inject({
      url: '/api/links',
      headers: { ...from('203.0.113.22'), authorization: `Bearer ${valid}` },
    });
    expect(other.statusCode).toBe(200);
  });
});

describe.each(testDatabases())('SHL_RATE_LIMIT=off on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target, { ...LIMITS, SHL_RATE_LIMIT: 'off' });
    await createAdminUser(t.db, { username: 'alice', password: PASSWORD });
  });
  afterAll(() => t?.close());

  it('turns every limit off and counts nothing', async () => {
    for (let i = 0; i < 8; i++) {
      const manifest = await t.app.inject({
        method: 'POST',
        url: UNKNOWN_LINK,
        headers: from('198.51.100.1'),
        payload: manifestRequest,
      });
      expect(manifest.statusCode).toBe(404);
      const key = await t.app.inject({
        url: '/api/links',
        headers: { ...from('198.51.100.1'), authorization: 'Bearer shlk_wrong' },
      });
      expect(key.statusCode).toBe(401);
    }
    for (let i = 0; i < 5; i++) {
      const signIn = await t.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'alice', password: 'wrong password' },
      });
      expect(signIn.json().error.code).toBe('SHL_BAD_CREDENTIALS');
    }
    expect(await t.db.selectFrom('shl_rate_limits').selectAll().execute()).toEqual([]);
  });
});

/**
 * Two real server processes (`node dist/main.js`), each with its own connection pool, on one PostgreSQL:
 * the budgets are shared, whichever process a request reaches.
 */
describe.runIf(postgresAvailable())('rate limits across two server processes on one PostgreSQL', () => {
  let servers: ServerProcess[] = [];
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    buildServer();
    const database = await createPostgresDatabase();
    drop = database.drop;
    const env = {
      ...LIMITS,
      DATABASE_URL: database.url,
      SHL_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      SHL_API_KEY: AUTH.authorization.slice('Bearer '.length),
    };
    // One after the other: both migrating at once is the migrator's lock's business, not this test's.
    servers.push(await spawnServer(env));
    servers.push(await spawnServer(env));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    servers = [];
    await drop?.();
  });

  const serverAt = (i: number): ServerProcess => {
    const server = servers[i % servers.length];
    if (server === undefined) throw new Error('no server');
    return server;
  };

  it('answers 429 with Retry-After once the public budget is spent, across both processes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${serverAt(i).url}${UNKNOWN_LINK}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from('198.51.100.77') },
        body: JSON.stringify(manifestRequest),
      });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SHL_RATE_LIMITED');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      } else await res.arrayBuffer();
    }
    // Four requests in all (two per process), not four per process.
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
  });

  it('limits sign-in per account across both processes while the addresses vary', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${serverAt(i).url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from(`192.0.2.${50 + i}`) },
        body: JSON.stringify({ username: 'mallory-target', password: 'wrong password' }),
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
