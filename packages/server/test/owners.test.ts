import { decryptFile } from '@shlkit/core';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipsSampleNames, readSample } from '../../../test-support/samples.js';
import { DISCOVERY_RETRY_MS } from '../src/oidc/oidc-verifier.js';
import { testDatabases } from './support/databases.js';
import { startFhirServer } from './support/fhir-server.js';
import { startIdentityProvider, type TestIdentityProvider } from './support/identity-provider.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const FHIR_TOKEN = 'server-fhir-token-123';
const patient = { resourceType: 'Patient', id: 'p1' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Created {
  id: string;
  managementToken: string;
  owner?: string | null;
}

describe.each(testDatabases())(
  'patients, scoped keys and management tokens on $name (issue 14)',
  (target) => {
    let idp: TestIdentityProvider;
    let fhir: Awaited<ReturnType<typeof startFhirServer>>;
    let t: TestApp;
    let alice: string;
    let bob: string;
    let aliceLink: Created;
    let bobLink: Created;

    beforeAll(async () => {
      idp = await startIdentityProvider();
      fhir = await startFhirServer();
      t = await startTestApp(
        target,
        {
          SHL_OIDC_ISSUER: idp.issuer,
          SHL_OIDC_AUDIENCE: idp.audience,
          FHIR_BASE_URL: fhir.url,
          FHIR_AUTH_TOKEN: FHIR_TOKEN,
          FHIR_FORWARD_USER_TOKEN: 'true',
        },
        { oidc: { jwksCooldownMs: 0 } },
      );
      alice = await idp.sign({ sub: 'alice', patient: 'sample-0' }, { now: t.clock.now() });
      bob = await idp.sign({ sub: 'bob' }, { now: t.clock.now(), alg: 'ES256' });
    });
    afterAll(async () => {
      await t?.close();
      await idp?.close();
      fhir?.server.closeAllConnections();
      await new Promise((resolve) => fhir?.server.close(resolve));
    });

    const create = async (headers: Record<string, string>, label: string): Promise<Created> => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers,
        payload: { content: patient, label, longTerm: true },
      });
      expect(res.statusCode).toBe(201);
      return res.json();
    };
    const listIds = async (headers: Record<string, string>): Promise<string[]> => {
      const res = await t.app.inject({ url: '/api/links?limit=200', headers });
      expect(res.statusCode).toBe(200);
      return res.json().links.map((link: { id: string }) => link.id);
    };
    /** Every route that names one link, as method and path. */
    const linkRoutes = (id: string) =>
      [
        ['GET', `/api/links/${id}`, undefined],
        ['PATCH', `/api/links/${id}`, { label: 'taken over' }],
        ['PUT', `/api/links/${id}/files`, { content: patient }],
        ['GET', `/api/links/${id}/accesses`, undefined],
        ['GET', `/api/links/${id}/accesses/stream`, undefined],
        ['GET', `/api/links/${id}/qr.png`, undefined],
        ['GET', `/api/links/${id}/qr.svg`, undefined],
        ['DELETE', `/api/links/${id}`, undefined],
      ] as const;

    it("two patients' tokens each create links, owned by their subjects, each with a managementToken and no owner shown", async () => {
      aliceLink = await create(bearer(alice), 'alice');
      bobLink = await create(bearer(bob), 'bob');
      for (const link of [aliceLink, bobLink]) {
        expect(link.managementToken).toMatch(/^shlm_[A-Za-z0-9_-]{43}$/);
        expect(link).not.toHaveProperty('owner');
      }
      const rows = await t.db
        .selectFrom('shl_links')
        .select(['id', 'owner', 'management_token_hash'])
        .execute();
      expect(rows.find((row) => row.id === aliceLink.id)?.owner).toBe('oidc:alice');
      expect(rows.find((row) => row.id === bobLink.id)?.owner).toBe('oidc:bob');
      // The token itself is never stored.
      expect(JSON.stringify(rows)).not.toContain(aliceLink.managementToken);
    });

    it('each lists only its own links', async () => {
      await create(AUTH, 'the admin');
      expect(await listIds(bearer(alice))).toEqual([aliceLink.id]);
      expect(await listIds(bearer(bob))).toEqual([bobLink.id]);
    });

    it("the other's link answers 404 SHL_NOT_FOUND on every route, the same answer as an unknown id, and is left unchanged", async () => {
      const unknownId = 'A'.repeat(43);
      for (const [method, url, payload] of linkRoutes(bobLink.id)) {
        const theirs = await t.app.inject({ method, url, headers: bearer(alice), payload });
        const unknown = await t.app.inject({
          method,
          url: url.replace(bobLink.id, unknownId),
          headers: bearer(alice),
          payload,
        });
        expect(theirs.statusCode, `${method} ${url}`).toBe(404);
        expect(theirs.json().error.code).toBe('SHL_NOT_FOUND');
        expect(theirs.body).toBe(unknown.body);
      }
      const after = (await t.app.inject({ url: `/api/links/${bobLink.id}`, headers: AUTH })).json();
      expect(after).toMatchObject({ label: 'bob', status: 'active', revokedAt: null, owner: 'oidc:bob' });
    });

    it('each reads, changes and revokes its own link, and the audit trail names the subject', async () => {
      const headers = bearer(alice);
      expect((await t.app.inject({ url: `/api/links/${aliceLink.id}`, headers })).statusCode).toBe(200);
      const patched = await t.app.inject({
        method: 'PATCH',
        url: `/api/links/${aliceLink.id}`,
        headers,
        payload: { label: 'mine' },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().label).toBe('mine');
      expect((await t.app.inject({ url: `/api/links/${aliceLink.id}/accesses`, headers })).statusCode).toBe(
        200,
      );
      expect((await t.app.inject({ url: `/api/links/${aliceLink.id}/qr.svg`, headers })).statusCode).toBe(
        200,
      );
      const events = (await t.app.inject({ url: `/api/audit?linkId=${aliceLink.id}`, headers: AUTH })).json()
        .events as { actor: string; action: string }[];
      expect(events.map((e) => [e.actor, e.action])).toEqual([
        ['oidc:alice', 'link.changed'],
        ['oidc:alice', 'link.created'],
      ]);
    });

    it('admins see every link with its owner', async () => {
      const links = (await t.app.inject({ url: '/api/links?limit=200', headers: AUTH })).json().links as {
        id: string;
        owner: string | null;
      }[];
      const owners = Object.fromEntries(links.map((link) => [link.id, link.owner]));
      expect(owners[aliceLink.id]).toBe('oidc:alice');
      expect(owners[bobLink.id]).toBe('oidc:bob');
      expect(Object.values(owners)).toContain('SHL_API_KEY');
    });

    it("a patient's token may not read the audit trail, the dashboard, accounts or API keys (403 SHL_FORBIDDEN)", async () => {
      for (const url of ['/api/audit', '/api/dashboard', '/api/users', '/api/keys']) {
        const res = await t.app.inject({ url, headers: bearer(alice) });
        expect(res.statusCode, url).toBe(403);
        expect(res.json().error.code).toBe('SHL_FORBIDDEN');
      }
    });

    it("from-fhir uses the token's patient claim and sends the FHIR server the user's own token", async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/links/from-fhir',
        headers: bearer(alice),
        payload: { label: 'my summary' },
      });
      expect(res.statusCode).toBe(201);
      expect(fhir.seen.at(-1)?.authorization).toBe(`Bearer ${alice}`);
      const link = res.json();
      expect(link.managementToken).toMatch(/^shlm_/);
      const manifest = (
        await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } })
      ).json();
      const entry = manifest.files[0];
      const location = entry.location === undefined ? undefined : new URL(entry.location);
      const jwe =
        location === undefined
          ? entry.embedded
          : (await t.app.inject({ url: `${location.pathname}${location.search}` })).body;
      expect((await decryptFile(jwe, link.payload.key)).text()).toBe(
        readSample(`ips/${ipsSampleNames()[0]}`),
      );
      expect(await listIds(bearer(alice))).toContain(link.id);
    });

    it("from-fhir with a patientId other than the token's patient claim answers 403 SHL_FORBIDDEN and fetches nothing", async () => {
      const fetched = fhir.seen.length;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/links/from-fhir',
        headers: bearer(alice),
        payload: { patientId: 'sample-1' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('SHL_FORBIDDEN');
      expect(fhir.seen.length).toBe(fetched);
    });

    it('refuses expired, not-yet-valid, wrong-audience, wrong-issuer, unsigned, HMAC and forged tokens with 401 SHL_UNAUTHORIZED', async () => {
      const now = t.clock.now();
      const [rsKid] = idp.kids();
      const claims = { sub: 'alice' };
      const unsigned = new UnsecuredJWT(claims)
        .setIssuer(idp.issuer)
        .setAudience(idp.audience)
        .setIssuedAt(Math.floor(now / 1000))
        .setExpirationTime(Math.floor(now / 1000) + 600)
        .encode();
      const hmac = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: rsKid })
        .setIssuer(idp.issuer)
        .setAudience(idp.audience)
        .setIssuedAt(Math.floor(now / 1000))
        .setExpirationTime(Math.floor(now / 1000) + 600)
        .sign(new TextEncoder().encode('a shared secret that is long enough for HS256'));
      // Signed by someone else's key under the issuer's kid: the signature does not verify.
      const otherIdp = await startIdentityProvider();
      const forgedByOther = await otherIdp.sign(claims, { now });
      await otherIdp.close();
      const [, payload, signature] = forgedByOther.split('.');
      const forgedHeader = Buffer.from(JSON.stringify({ alg: 'RS256', kid: rsKid })).toString('base64url');
      const forged = `${forgedHeader}.${payload}.${signature}`;
      const tokens: [string, string][] = [
        ['expired', await idp.sign(claims, { now, ttlSeconds: -120 })],
        ['not yet valid', await idp.sign({ ...claims, nbf: Math.floor(now / 1000) + 3600 }, { now })],
        ['wrong audience', await idp.sign(claims, { now, audience: 'another-app' })],
        ['wrong issuer', await idp.sign(claims, { now, issuer: 'https://evil.example' })],
        ['no sub', await idp.sign({}, { now })],
        ['unsigned (alg none)', unsigned],
        ['HS256', hmac],
        ['forged', forged],
        ['not a token', 'eyJhbGciOi.nonsense.x'],
      ];
      for (const [what, token] of tokens) {
        const res = await t.app.inject({ url: '/api/links', headers: bearer(token) });
        expect(res.statusCode, what).toBe(401);
        expect(res.json().error.code, what).toBe('SHL_UNAUTHORIZED');
      }
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: bearer(tokens[0]?.[1] ?? ''),
        payload: { content: patient },
      });
      expect(created.statusCode).toBe(401);
    });

    it('picks up key rotation at the issuer: a token under a new kid is accepted', async () => {
      const before = idp.jwksFetches();
      await idp.rotate();
      const rotated = await idp.sign({ sub: 'alice' }, { now: t.clock.now() });
      const res = await t.app.inject({ url: '/api/links', headers: bearer(rotated) });
      expect(res.statusCode).toBe(200);
      expect(res.json().links.map((link: { id: string }) => link.id)).toContain(aliceLink.id);
      expect(idp.jwksFetches()).toBeGreaterThan(before);
    });

    it("a link's managementToken reads, changes, and revokes that link only; it cannot list, create or replace content", async () => {
      const mine = bearer(aliceLink.managementToken);
      expect((await t.app.inject({ url: `/api/links/${aliceLink.id}`, headers: mine })).statusCode).toBe(200);
      const patched = await t.app.inject({
        method: 'PATCH',
        url: `/api/links/${aliceLink.id}`,
        headers: mine,
        payload: { label: 'by token' },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).not.toHaveProperty('owner');
      expect(
        (await t.app.inject({ url: `/api/links/${aliceLink.id}/accesses`, headers: mine })).statusCode,
      ).toBe(200);
      const qr = await t.app.inject({ url: `/api/links/${aliceLink.id}/qr.png`, headers: mine });
      expect(qr.statusCode).toBe(200);
      expect(qr.headers['content-type']).toBe('image/png');
      // PUT files is refused to a management token for every link (403 below), so it tells nothing.
      for (const [method, url, payload] of linkRoutes(bobLink.id).filter(([m]) => m !== 'PUT')) {
        const res = await t.app.inject({ method, url, headers: mine, payload });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json().error.code).toBe('SHL_NOT_FOUND');
      }
      for (const [method, url, payload] of [
        ['GET', '/api/links', undefined],
        ['POST', '/api/links', { content: patient }],
        ['PUT', `/api/links/${aliceLink.id}/files`, { content: patient }],
        ['GET', '/api/keys', undefined],
        ['GET', '/api/audit', undefined],
        ['GET', '/api/dashboard', undefined],
      ] as const) {
        const res = await t.app.inject({ method, url, headers: mine, payload });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('SHL_FORBIDDEN');
      }
      const deleted = await t.app.inject({
        method: 'DELETE',
        url: `/api/links/${aliceLink.id}`,
        headers: mine,
      });
      expect(deleted.statusCode).toBe(204);
      const events = (await t.app.inject({ url: `/api/audit?linkId=${aliceLink.id}`, headers: AUTH })).json()
        .events as { actor: string; action: string }[];
      expect(events.slice(0, 2).map((e) => [e.actor, e.action])).toEqual([
        [`link:${aliceLink.id}`, 'link.revoked'],
        [`link:${aliceLink.id}`, 'link.changed'],
      ]);
      const bobAfter = (await t.app.inject({ url: `/api/links/${bobLink.id}`, headers: AUTH })).json();
      expect(bobAfter).toMatchObject({ label: 'bob', revokedAt: null });
    });

    it('a links:create key creates links and reaches only its own; it gets 403 on accounts, keys and the audit trail', async () => {
      const made = await t.app.inject({
        method: 'POST',
        url: '/api/keys',
        headers: AUTH,
        payload: { name: 'patient backend', scopes: ['links:create'] },
      });
      expect(made.statusCode).toBe(201);
      expect(made.json().scopes).toEqual(['links:create']);
      const key = bearer(made.json().token);
      const own = await create(key, 'from the backend');
      expect(await listIds(key)).toEqual([own.id]);
      for (const [method, url, payload] of linkRoutes(bobLink.id)) {
        const res = await t.app.inject({ method, url, headers: key, payload });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
      const patched = await t.app.inject({
        method: 'PATCH',
        url: `/api/links/${own.id}`,
        headers: key,
        payload: { active: false },
      });
      expect(patched.statusCode).toBe(200);
      for (const [method, url] of [
        ['GET', '/api/users'],
        ['POST', '/api/users'],
        ['GET', '/api/keys'],
        ['POST', '/api/keys'],
        ['GET', '/api/audit'],
        ['GET', '/api/dashboard'],
      ] as const) {
        const res = await t.app.inject({
          method,
          url,
          headers: key,
          ...(method === 'POST' ? { payload: { name: 'x', username: 'x', password: 'x'.repeat(12) } } : {}),
        });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('SHL_FORBIDDEN');
      }
      const listed = (await t.app.inject({ url: '/api/keys', headers: AUTH })).json().keys;
      expect(listed.find((k: { id: string }) => k.id === made.json().id)?.scopes).toEqual(['links:create']);
      const byAdmin = (await t.app.inject({ url: `/api/links/${own.id}`, headers: AUTH })).json();
      expect(byAdmin.owner).toBe(`key:${made.json().id}`);
    });

    it('a links:read key sees every link but changes none (403); a key made before scopes keeps admin', async () => {
      const made = await t.app.inject({
        method: 'POST',
        url: '/api/keys',
        headers: AUTH,
        payload: { name: 'dashboard', scopes: ['links:read'] },
      });
      const key = bearer(made.json().token);
      const ids = await listIds(key);
      expect(ids).toEqual(expect.arrayContaining([aliceLink.id, bobLink.id]));
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/links/${bobLink.id}`,
        headers: key,
        payload: { label: 'no' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('SHL_FORBIDDEN');
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: key,
        payload: { content: patient },
      });
      expect(created.statusCode).toBe(403);

      // A row as migration 0009 found it: no scopes given, so the column default applies.
      await t.db
        .insertInto('shl_api_keys')
        .values({
          id: 'old-key',
          name: 'before scopes',
          token_hash: 'x',
          created_at: new Date(t.clock.now()),
        })
        .execute();
      const listed = (await t.app.inject({ url: '/api/keys', headers: AUTH })).json().keys;
      expect(listed.find((k: { id: string }) => k.id === 'old-key')?.scopes).toEqual(['admin']);
    });

    it('answers 503 SHL_UNAVAILABLE, never 500, when the issuer cannot be reached for a new key', async () => {
      await idp.close();
      await idp.rotate();
      const token = await idp.sign({ sub: 'alice' }, { now: t.clock.now() });
      const res = await t.app.inject({ url: '/api/links', headers: bearer(token) });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('SHL_UNAVAILABLE');
    });
  },
);

describe('identity-provider tokens without token forwarding', () => {
  const [pglite] = testDatabases();
  let idp: TestIdentityProvider;
  let fhir: Awaited<ReturnType<typeof startFhirServer>>;
  let t: TestApp;
  beforeAll(async () => {
    if (pglite === undefined) throw new Error('no database');
    idp = await startIdentityProvider();
    fhir = await startFhirServer();
    t = await startTestApp(pglite, {
      SHL_OIDC_ISSUER: idp.issuer,
      SHL_OIDC_AUDIENCE: idp.audience,
      FHIR_BASE_URL: fhir.url,
      FHIR_AUTH_TOKEN: FHIR_TOKEN,
    });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
    fhir?.server.closeAllConnections();
    await new Promise((resolve) => fhir?.server.close(resolve));
  });

  it("fetches the token's patient with FHIR_AUTH_TOKEN", async () => {
    const token = await idp.sign({ sub: 'carol', patient: 'sample-1' }, { now: t.clock.now() });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/links/from-fhir',
      headers: bearer(token),
      payload: { patientId: 'sample-1' },
    });
    expect(res.statusCode).toBe(201);
    expect(fhir.seen.at(-1)?.authorization).toBe(`Bearer ${FHIR_TOKEN}`);
    expect(fhir.seen.at(-1)?.authorization).not.toContain(token);
  });

  it("refuses a token without a patient claim (403): it would read any patient with the server's credentials", async () => {
    const fetched = fhir.seen.length;
    const token = await idp.sign({ sub: 'dave' }, { now: t.clock.now() });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/links/from-fhir',
      headers: bearer(token),
      payload: { patientId: 'sample-0' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('SHL_FORBIDDEN');
    expect(fhir.seen.length).toBe(fetched);
  });

  it('an API key still names the patient, and leaving it out answers 400 for patientId', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/links/from-fhir',
      headers: AUTH,
      payload: {},
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'SHL_VALIDATION_FAILED', field: 'patientId' });
  });
});

describe('an issuer that cannot be reached at all', () => {
  it('answers 503 SHL_UNAVAILABLE for a bearer JWT (its discovery document cannot be had), and API keys still work', async () => {
    const [pglite] = testDatabases();
    if (pglite === undefined) throw new Error('no database');
    const idp = await startIdentityProvider();
    await idp.close();
    const t = await startTestApp(pglite, { SHL_OIDC_ISSUER: idp.issuer, SHL_OIDC_AUDIENCE: idp.audience });
    try {
      const token = await idp.sign({ sub: 'alice' }, { now: t.clock.now() });
      const res = await t.app.inject({ url: '/api/links', headers: bearer(token) });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('SHL_UNAVAILABLE');
      expect((await t.app.inject({ url: '/api/links', headers: AUTH })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('asks an issuer that failed again only after DISCOVERY_RETRY_MS, however many tokens come meanwhile', async () => {
    const [pglite] = testDatabases();
    if (pglite === undefined) throw new Error('no database');
    const idp = await startIdentityProvider();
    await idp.close();
    const asked: string[] = [];
    const t = await startTestApp(
      pglite,
      { SHL_OIDC_ISSUER: idp.issuer, SHL_OIDC_AUDIENCE: idp.audience },
      {
        oidc: {
          fetch: (input, init) => {
            asked.push(String(input));
            return globalThis.fetch(input, init);
          },
        },
      },
    );
    try {
      const token = await idp.sign({ sub: 'alice' }, { now: t.clock.now() });
      const statuses = [];
      for (let i = 0; i < 5; i += 1) {
        statuses.push((await t.app.inject({ url: '/api/links', headers: bearer(token) })).statusCode);
      }
      expect(statuses).toEqual([503, 503, 503, 503, 503]);
      expect(asked).toHaveLength(1);
      t.clock.advance(DISCOVERY_RETRY_MS);
      expect((await t.app.inject({ url: '/api/links', headers: bearer(token) })).statusCode).toBe(503);
      expect(asked).toHaveLength(2);
    } finally {
      await t.close();
    }
  });

  it('refuses to start with SHL_OIDC_ISSUER but no SHL_OIDC_AUDIENCE', async () => {
    const [pglite] = testDatabases();
    if (pglite === undefined) throw new Error('no database');
    await expect(startTestApp(pglite, { SHL_OIDC_ISSUER: 'https://idp.example' })).rejects.toMatchObject({
      code: 'SHL_CONFIG_INVALID',
      field: 'SHL_OIDC_AUDIENCE',
    });
  });
});
