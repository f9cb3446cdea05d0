import { decryptFile, readContent } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipsSampleNames, readSample } from '../../../test-support/samples.js';
import { createAdminUser } from '../src/auth/admin-users.js';
import { testDatabases } from './support/databases.js';
import { startFhirServer } from './support/fhir-server.js';
import { AUTH, countRows, startTestApp, type TestApp } from './support/test-app.js';

const PASSWORD = 'operator-password-1';

describe.each(testDatabases())('FHIR preview and content re-fetch on $name', (target) => {
  let fhir: Awaited<ReturnType<typeof startFhirServer>>;
  let t: TestApp;
  beforeAll(async () => {
    fhir = await startFhirServer();
    t = await startTestApp(target, { FHIR_BASE_URL: fhir.url, FHIR_TIMEOUT_MS: '2000' });
    await createAdminUser(t.db, { username: 'olga', password: PASSWORD, role: 'operator' });
  });
  afterAll(async () => {
    await t?.close();
    fhir?.server.closeAllConnections();
    await new Promise((resolve) => fhir?.server.close(resolve));
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = AUTH) =>
    t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });
  const preview = (payload: unknown) => post('/api/links/from-fhir/preview', payload);
  const refetch = (id: string, payload: unknown) => post(`/api/links/${id}/content/from-fhir`, payload);
  const createLong = async (patientId: string, longTerm = true): Promise<{ id: string; key: string }> => {
    const res = await post('/api/links/from-fhir', { patientId, longTerm });
    expect(res.statusCode).toBe(201);
    return { id: res.json().id, key: res.json().payload.key };
  };
  /** The one file a receiver gets from a link, decrypted. */
  const contentOf = async (link: { id: string; key: string }): Promise<string> => {
    const manifest = (await post(`/shl/${link.id}`, { recipient: 'test' }, {})).json();
    const entry = manifest.files[0];
    const jwe =
      entry.location === undefined
        ? entry.embedded
        : (await t.app.inject({ url: new URL(entry.location).pathname + new URL(entry.location).search }))
            .body;
    return (await decryptFile(jwe, link.key)).text();
  };

  it('previews each sample IPS as the upload path does (core readContent), creating and writing nothing', async () => {
    const before = await countRows(t.db);
    for (const [index, name] of ipsSampleNames().entries()) {
      const res = await preview({ patientId: `sample-${index}` });
      expect(res.statusCode, name).toBe(200);
      const expected = readContent(readSample(`ips/${name}`));
      if (!expected.ok) throw new Error(`${name} does not read`);
      expect(res.json()).toEqual(expected.preview);
      expect(res.json().kind).toBe('International Patient Summary');
      expect(res.json().sections.length).toBeGreaterThan(0);
    }
    expect(await countRows(t.db)).toEqual(before);
  });

  it.each([
    ['an unknown patient', 'nobody', 502, 'SHL_FHIR_UPSTREAM'],
    ['an OperationOutcome', 'outcome', 502, 'SHL_FHIR_UPSTREAM'],
    ['a timeout', 'slow', 502, 'SHL_FHIR_UPSTREAM'],
    ['a body that is not JSON', 'not-json', 502, 'SHL_FHIR_UPSTREAM'],
    ['a Bundle that is not an IPS', 'not-ips', 422, 'SHL_NOT_IPS'],
  ])('preview answers %s (patient %s) with %i %s and writes nothing', async (_, patientId, status, code) => {
    const before = await countRows(t.db);
    const res = await preview({ patientId });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await countRows(t.db)).toEqual(before);
  });

  it('replaces the content of an L link with the IPS fetched again: same link and key, audited in the same change', async () => {
    const [first, second] = ipsSampleNames();
    const link = await createLong('sample-0');
    expect(await contentOf(link)).toBe(readSample(`ips/${first}`));
    const res = await refetch(link.id, { patientId: 'sample-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: link.id, longTerm: true, fileCount: 1, status: 'active' });
    expect(res.json().payload.key).toBe(link.key);
    expect(await contentOf(link)).toBe(readSample(`ips/${second}`));
    const audit = (await t.app.inject({ url: `/api/audit?linkId=${link.id}`, headers: AUTH })).json();
    expect(audit.events[0]).toMatchObject({
      actor: 'SHL_API_KEY',
      action: 'link.content-replaced',
      linkId: link.id,
      details: { fileCount: 1, source: 'fhir', patientId: 'sample-1' },
    });
  });

  it('refuses a link that is not long-term (409 SHL_NOT_LONG_TERM) without asking the FHIR server', async () => {
    const link = await createLong('sample-0', false);
    const asked = fhir.seen.length;
    const before = await countRows(t.db);
    const res = await refetch(link.id, { patientId: 'sample-1' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('SHL_NOT_LONG_TERM');
    expect(fhir.seen.length).toBe(asked);
    expect(await countRows(t.db)).toEqual(before);
  });

  it('answers 404 SHL_NOT_FOUND for no such link, 409 SHL_LINK_REVOKED for a deleted one', async () => {
    const missing = await refetch('A'.repeat(43), { patientId: 'sample-1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('SHL_NOT_FOUND');
    const link = await createLong('sample-0');
    await t.app.inject({ method: 'DELETE', url: `/api/links/${link.id}`, headers: AUTH });
    const revoked = await refetch(link.id, { patientId: 'sample-1' });
    expect(revoked.statusCode).toBe(409);
    expect(revoked.json().error.code).toBe('SHL_LINK_REVOKED');
  });

  it.each([
    ['nobody', 502, 'SHL_FHIR_UPSTREAM'],
    ['slow', 502, 'SHL_FHIR_UPSTREAM'],
    ['not-ips', 422, 'SHL_NOT_IPS'],
  ])(
    'a re-fetch of %s answers %i %s and leaves the content and the audit trail as they were',
    async (patientId, status, code) => {
      const link = await createLong('sample-0');
      const files = await t.db.selectFrom('shl_files').selectAll().where('link_id', '=', link.id).execute();
      const before = await countRows(t.db);
      const res = await refetch(link.id, { patientId });
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(await countRows(t.db)).toEqual(before);
      expect(await t.db.selectFrom('shl_files').selectAll().where('link_id', '=', link.id).execute()).toEqual(
        files,
      );
    },
  );

  it('answers bad input to both routes with 400 SHL_VALIDATION_FAILED in our shape, writing nothing', async () => {
    const link = await createLong('sample-0');
    const before = await countRows(t.db);
    const asked = fhir.seen.length;
    const cases: [string, unknown][] = [
      ['/api/links/from-fhir/preview', {}],
      ['/api/links/from-fhir/preview', { patientId: '../metadata' }],
      ['/api/links/from-fhir/preview', { patientId: 'x'.repeat(65) }],
      ['/api/links/from-fhir/preview', { patientId: 'sample-0', label: 'not here' }],
      ['/api/links/from-fhir/preview', ['sample-0']],
      [`/api/links/${link.id}/content/from-fhir`, {}],
      [`/api/links/${link.id}/content/from-fhir`, { patientId: 'a b' }],
      [`/api/links/${link.id}/content/from-fhir`, { patientId: 'sample-1', content: {} }],
      ['/api/links/not-an-id/content/from-fhir', { patientId: 'sample-1' }],
    ];
    for (const [url, payload] of cases) {
      const res = await post(url, payload);
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'SHL_VALIDATION_FAILED', message: expect.any(String) });
    }
    expect(fhir.seen.length).toBe(asked);
    expect(await countRows(t.db)).toEqual(before);
  });

  it('answers 401 without credentials, and 403 SHL_CSRF to a session cookie without its token, writing nothing', async () => {
    const link = await createLong('sample-0');
    const signIn = await post('/api/session', { username: 'olga', password: PASSWORD }, {});
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    const csrfToken: string = signIn.json().csrfToken;
    const before = await countRows(t.db);
    for (const [url, payload] of [
      ['/api/links/from-fhir/preview', { patientId: 'sample-0' }],
      [`/api/links/${link.id}/content/from-fhir`, { patientId: 'sample-1' }],
    ] as const) {
      const anonymous = await post(url, payload, {});
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.code).toBe('SHL_UNAUTHORIZED');
      const noToken = await post(url, payload, { cookie });
      expect(noToken.statusCode).toBe(403);
      expect(noToken.json().error.code).toBe('SHL_CSRF');
    }
    expect(await countRows(t.db)).toEqual(before);
    // With its token, an operator may do both.
    const withToken = { cookie, 'x-csrf-token': csrfToken };
    expect(
      (await post('/api/links/from-fhir/preview', { patientId: 'sample-0' }, withToken)).statusCode,
    ).toBe(200);
    const replaced = await post(
      `/api/links/${link.id}/content/from-fhir`,
      { patientId: 'sample-1' },
      withToken,
    );
    expect(replaced.statusCode).toBe(200);
  });
});

describe('FHIR preview and re-fetch without FHIR_BASE_URL', () => {
  it('answer 501 SHL_FHIR_NOT_CONFIGURED', async () => {
    const [pglite] = testDatabases();
    if (pglite === undefined) throw new Error('no database');
    const t = await startTestApp(pglite);
    try {
      const preview = await t.app.inject({
        method: 'POST',
        url: '/api/links/from-fhir/preview',
        headers: AUTH,
        payload: { patientId: 'p1' },
      });
      expect(preview.statusCode).toBe(501);
      expect(preview.json().error.code).toBe('SHL_FHIR_NOT_CONFIGURED');
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: { resourceType: 'Patient' }, longTerm: true },
      });
      const refetch = await t.app.inject({
        method: 'POST',
        url: `/api/links/${created.json().id}/content/from-fhir`,
        headers: AUTH,
        payload: { patientId: 'p1' },
      });
      expect(refetch.statusCode).toBe(501);
      expect(refetch.json().error.code).toBe('SHL_FHIR_NOT_CONFIGURED');
    } finally {
      await t.close();
    }
  });
});
