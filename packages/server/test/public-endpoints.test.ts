import { randomBytes } from 'node:crypto';
import { decryptFile } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, BASE, startTestApp, type TestApp } from './support/test-app.js';

const bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [{ resource: { resourceType: 'Patient', id: 'x' } }],
};

describe.each(testDatabases())('public SHL endpoints on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target, { SHL_EMBEDDED_LENGTH_MAX: '100000' });
  });
  afterAll(() => t?.close());

  const create = async (body: Record<string, unknown>) =>
    (await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: body })).json();
  const manifest = (id: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/shl/${id}`, payload: body });
  const pathOf = (url: string) => url.slice(BASE.length);

  it('answers one uniform 404 for unknown, expired, deactivated, revoked and locked links', async () => {
    const nowSeconds = Math.floor(t.clock.now() / 1000);
    const expired = await create({ content: bundle, expiresAt: nowSeconds + 10 });
    const deactivated = await create({ content: bundle });
    const revoked = await create({ content: bundle });
    const locked = await create({ content: bundle, passcode: 'pw', passcodeAttempts: 1 });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${deactivated.id}`,
      headers: AUTH,
      payload: { active: false },
    });
    await t.app.inject({ method: 'DELETE', url: `/api/links/${revoked.id}`, headers: AUTH });
    await manifest(locked.id, { recipient: 'r', passcode: 'nope' });
    t.clock.advance(11_000);
    const bodies = new Set<string>();
    for (const id of ['A'.repeat(43), expired.id, deactivated.id, revoked.id, locked.id]) {
      const res = await manifest(id, { recipient: 'r', passcode: 'pw' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      bodies.add(res.body);
    }
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0] ?? '').error.code).toBe('SHL_NOT_FOUND');
    const log = (await t.app.inject({ url: `/api/links/${expired.id}/accesses`, headers: AUTH })).json();
    expect(log.accesses[0]).toMatchObject({ path: 'manifest', outcome: 'inactive', recipient: 'r' });
  });

  it('answers a missing or empty passcode with 401 and the current count, spending no attempt', async () => {
    const link = await create({ content: bundle, passcode: 'pw', passcodeAttempts: 3 });
    for (const passcode of [undefined, '']) {
      const res = await manifest(link.id, { recipient: 'r', passcode });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ remainingAttempts: 3, error: { code: 'SHL_PASSCODE_REQUIRED' } });
    }
    const wrong = await manifest(link.id, { recipient: 'r', passcode: 'PW' });
    expect(wrong.json()).toMatchObject({ remainingAttempts: 2, error: { code: 'SHL_WRONG_PASSCODE' } });
    // The right passcode costs nothing: its reserved attempt is given back.
    expect((await manifest(link.id, { recipient: 'r', passcode: 'pw' })).statusCode).toBe(200);
    const view = (await t.app.inject({ url: `/api/links/${link.id}`, headers: AUTH })).json();
    expect(view.remainingAttempts).toBe(2);
  });

  it('embeds files up to embeddedLengthMax and sends longer ones as location URLs that work for an hour', async () => {
    const link = await create({ content: bundle });
    const small = (await manifest(link.id, { recipient: 'r' })).json();
    expect(small.status).toBe('finalized');
    const jwe: string = small.files[0].embedded;
    const res = await manifest(link.id, { recipient: 'loc', embeddedLengthMax: jwe.length - 1 });
    const file = res.json().files[0];
    expect(file.embedded).toBeUndefined();
    expect(file.location).toMatch(
      new RegExp(`^${BASE}/shl/${link.id}/files/[A-Za-z0-9_-]+\\?ticket=[A-Za-z0-9_-]{43}$`),
    );
    expect(file.lastUpdated).toBe(small.files[0].lastUpdated);
    const got = await t.app.inject({ url: pathOf(file.location) });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/jose');
    expect(got.headers['access-control-allow-origin']).toBe('*');
    expect(got.body).toBe(jwe);
    const log = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    expect(log.accesses[0]).toMatchObject({ path: 'file', outcome: 'ok', recipient: 'loc' });
    t.clock.advance(3600_000);
    expect((await t.app.inject({ url: pathOf(file.location) })).statusCode).toBe(404);
  });

  it('sends files longer than the server cap as location even without embeddedLengthMax', async () => {
    const big = { resourceType: 'Binary', data: randomBytes(90_000).toString('base64') };
    const link = await create({ content: big });
    const file = (await manifest(link.id, { recipient: 'r' })).json().files[0];
    expect(file.location).toBeDefined();
    const got = await t.app.inject({ url: pathOf(file.location) });
    expect(JSON.parse((await decryptFile(got.body, link.payload.key)).text())).toEqual(big);
  });

  it('refuses a location URL with a wrong ticket, and one whose link was revoked', async () => {
    const link = await create({ content: bundle });
    const file = (await manifest(link.id, { recipient: 'r', embeddedLengthMax: 0 })).json().files[0];
    const forged = file.location.replace(/ticket=.*/, `ticket=${'B'.repeat(43)}`);
    expect((await t.app.inject({ url: pathOf(forged) })).statusCode).toBe(404);
    await t.app.inject({ method: 'DELETE', url: `/api/links/${link.id}`, headers: AUTH });
    expect((await t.app.inject({ url: pathOf(file.location) })).statusCode).toBe(404);
  });

  it('withdraws location URLs issued under a passcode when the passcode changes or is removed', async () => {
    for (const change of [{ passcode: 'new one' }, { passcode: null }]) {
      const link = await create({ content: bundle, passcode: 'pw' });
      const answer = await manifest(link.id, { recipient: 'r', passcode: 'pw', embeddedLengthMax: 0 });
      const location = pathOf(answer.json().files[0].location);
      expect((await t.app.inject({ url: location })).statusCode).toBe(200);
      await t.app.inject({ method: 'PATCH', url: `/api/links/${link.id}`, headers: AUTH, payload: change });
      expect((await t.app.inject({ url: location })).statusCode).toBe(404);
    }
  });

  it('answers HEAD on file URLs with 404, so that no download is logged that never happened', async () => {
    const link = await create({ content: bundle, direct: true });
    const head = await t.app.inject({ method: 'HEAD', url: `/shl/${link.id}?recipient=r` });
    expect(head.statusCode).toBe(404);
    const log = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    expect(log.accesses).toEqual([]);
  });

  it('answers HEAD on a location URL with 404 too, logging nothing', async () => {
    const link = await create({ content: bundle });
    const file = (await manifest(link.id, { recipient: 'r', embeddedLengthMax: 0 })).json().files[0];
    const before = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    const head = await t.app.inject({ method: 'HEAD', url: pathOf(file.location) });
    expect(head.statusCode).toBe(404);
    const after = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    expect(after.accesses).toEqual(before.accesses);
  });

  it('answers a manifest request through the app with one access row and one use', async () => {
    const link = await create({ content: bundle });
    expect((await manifest(link.id, { recipient: 'once' })).statusCode).toBe(200);
    const log = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    expect(log.accesses).toEqual([expect.objectContaining({ recipient: 'once', outcome: 'ok' })]);
    const { uses } = await t.db
      .selectFrom('shl_links')
      .select('uses')
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(Number(uses)).toBe(1);
  });

  it('refuses a location URL whose link id, file id or ticket is malformed with 400, writing nothing', async () => {
    const link = await create({ content: bundle });
    const file = (await manifest(link.id, { recipient: 'r', embeddedLengthMax: 0 })).json().files[0];
    const url = new URL(file.location);
    const fileId = url.pathname.split('/').at(-1) ?? '';
    const ticket = url.searchParams.get('ticket') ?? '';
    const before = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    for (const malformed of [
      `/shl/${link.id.slice(1)}/files/${fileId}?ticket=${ticket}`,
      `/shl/${link.id}/files/${fileId}.json?ticket=${ticket}`,
      `/shl/${link.id}/files/${fileId}?ticket=${ticket.slice(1)}`,
      `/shl/${link.id}/files/${fileId}`,
    ]) {
      const res = await t.app.inject({ url: malformed });
      expect(res.statusCode, malformed).toBe(400);
      expect(res.json().error.code, malformed).toBe('SHL_VALIDATION_FAILED');
    }
    const after = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    expect(after.accesses).toEqual(before.accesses);
    // The URL as issued still works.
    expect((await t.app.inject({ url: pathOf(file.location) })).statusCode).toBe(200);
  });

  it('answers the uniform 404 at once when any part of a location URL holds U+0000', async () => {
    const link = await create({ content: bundle });
    const file = (await manifest(link.id, { recipient: 'r', embeddedLengthMax: 0 })).json().files[0];
    const url = new URL(file.location);
    const fileId = url.pathname.split('/').at(-1) ?? '';
    const res = await t.app.inject({
      url: `/shl/${link.id}/files/${fileId.slice(0, 2)}%00?${url.searchParams.toString()}`,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('SHL_NOT_FOUND');
  });

  it('refuses a manifest request body over 64 KiB with 413', async () => {
    const link = await create({ content: bundle });
    const res = await manifest(link.id, { recipient: 'r', padding: 'x'.repeat(70_000) });
    expect(res.statusCode).toBe(413);
  });

  it('serves the single file of a U link by GET with recipient, and refuses a manifest POST', async () => {
    const link = await create({ content: bundle, direct: true });
    expect(link.flag).toBe('U');
    const res = await t.app.inject({ url: `/shl/${link.id}?recipient=${encodeURIComponent('Dr. Who')}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/jose');
    expect(JSON.parse((await decryptFile(res.body, link.payload.key)).text())).toEqual(bundle);
    expect((await manifest(link.id, { recipient: 'r' })).statusCode).toBe(404);
    const missing = await t.app.inject({ url: `/shl/${link.id}` });
    expect(missing.statusCode).toBe(400);
    const log = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    expect(log.accesses.map((a: { path: string; outcome: string }) => `${a.path}:${a.outcome}`)).toEqual([
      'manifest:wrong-method',
      'direct:ok',
    ]);
  });

  it('logs a manifest POST to an active U link as wrong-method and to an inactive one as inactive, both the uniform 404', async () => {
    const active = await create({ content: bundle, direct: true });
    const revoked = await create({ content: bundle, direct: true });
    await t.app.inject({ method: 'DELETE', url: `/api/links/${revoked.id}`, headers: AUTH });
    const unknown = await manifest('A'.repeat(43), { recipient: 'r' });
    for (const link of [active, revoked]) {
      const res = await manifest(link.id, { recipient: 'poster' });
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe(unknown.body);
    }
    const outcomes = async (id: string) =>
      (await t.app.inject({ url: `/api/links/${id}/accesses`, headers: AUTH }))
        .json()
        .accesses.map((a: { path: string; outcome: string; recipient: string }) => [
          a.path,
          a.outcome,
          a.recipient,
        ]);
    expect(await outcomes(active.id)).toEqual([['manifest', 'wrong-method', 'poster']]);
    expect(await outcomes(revoked.id)).toEqual([['manifest', 'inactive', 'poster']]);
  });

  it('a non-U link answers 404 to a direct GET', async () => {
    const link = await create({ content: bundle });
    expect((await t.app.inject({ url: `/shl/${link.id}?recipient=r` })).statusCode).toBe(404);
  });

  it('answers the CORS preflight for content-type and exposes Retry-After', async () => {
    const link = await create({ content: bundle });
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: `/shl/${link.id}`,
      headers: {
        origin: 'https://viewer.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-headers'])).toContain('content-type');
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
    const post = await manifest(link.id, { recipient: 'r' });
    expect(post.headers['access-control-expose-headers']).toBe('Retry-After');
  });

  it('answers 400 with a JSON error for a missing recipient or a malformed body', async () => {
    const link = await create({ content: bundle });
    const noRecipient = await manifest(link.id, {});
    expect(noRecipient.statusCode).toBe(400);
    expect(noRecipient.json().error).toMatchObject({
      code: 'SHL_INVALID_MANIFEST_REQUEST',
      field: 'recipient',
    });
    const broken = await t.app.inject({
      method: 'POST',
      url: `/shl/${link.id}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"recipient":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('SHL_INVALID_JSON');
    expect(broken.headers['access-control-allow-origin']).toBe('*');
    const negative = await manifest(link.id, { recipient: 'r', embeddedLengthMax: -1 });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error).toMatchObject({
      code: 'SHL_INVALID_MANIFEST_REQUEST',
      field: 'embeddedLengthMax',
    });
  });

  it.each([
    ['blank', '   '],
    ['only a tab and a newline', '\t\n'],
    ['a NUL character', 'Dr.\u0000Who'],
    ['a control character', 'Dr. Who\u001b[2J'],
    ['a C1 control character', 'Dr.\u0085Who'],
    ['a lone surrogate', 'Dr. \ud800'],
    ['too long', 'x'.repeat(1001)],
    ['only a zero width space', '\u200b'],
    ['a right-to-left override', 'Dr. Who\u202e'],
    ['a line separator', 'Dr.\u2028Who'],
    ['a paragraph separator', 'Dr.\u2029Who'],
    ['punctuation only', '-.-'],
  ])(
    'refuses a manifest request whose recipient is %s with 400 and logs nothing',
    async (_name, recipient) => {
      const link = await create({ content: bundle });
      const res = await manifest(link.id, { recipient });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'SHL_INVALID_MANIFEST_REQUEST', field: 'recipient' });
      const log = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
      expect(log.accesses).toEqual([]);
    },
  );

  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', 'pw\udfff'],
    ['a control character', 'pw\u0000'],
  ])(
    'refuses a passcode guess with %s with 400 (field passcode), spending no attempt and logging nothing',
    async (_name, passcode) => {
      const link = await create({ content: bundle, passcode: 'pw', passcodeAttempts: 2 });
      const res = await manifest(link.id, { recipient: 'r', passcode });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'SHL_INVALID_MANIFEST_REQUEST', field: 'passcode' });
      const view = (await t.app.inject({ url: `/api/links/${link.id}`, headers: AUTH })).json();
      expect(view.remainingAttempts).toBe(2);
      const log = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
      expect(log.accesses).toEqual([]);
    },
  );

  it('accepts a recipient with non-Latin letters and emoji, and logs it as sent', async () => {
    const link = await create({ content: bundle });
    const recipient = 'Dr. Łukasz Müller — 診療所 🏥';
    expect((await manifest(link.id, { recipient })).statusCode).toBe(200);
    const log = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    expect(log.accesses[0].recipient).toBe(recipient);
  });

  it.each([
    ['blank', '%20%20'],
    ['a NUL character', 'Dr.%00Who'],
    ['a control character', 'Dr.%1BWho'],
    ['only a zero width space', '%E2%80%8B'],
    ['a right-to-left override', 'Dr.%E2%80%AEWho'],
    ['a line separator', 'Dr.%E2%80%A8Who'],
    ['a paragraph separator', 'Dr.%E2%80%A9Who'],
  ])(
    'refuses a direct-file GET whose recipient is %s with 400 and logs nothing',
    async (_name, recipient) => {
      const link = await create({ content: bundle, direct: true });
      const res = await t.app.inject({ url: `/shl/${link.id}?recipient=${recipient}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'SHL_VALIDATION_FAILED', field: 'recipient' });
      const log = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
      expect(log.accesses).toEqual([]);
    },
  );

  it('answers GET /healthz', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('content type setting', () => {
  it('lists FHIR as the bare application/fhir+json when SHL_FHIR_CONTENT_TYPE_PARAM=false', async () => {
    const [pglite] = testDatabases();
    if (pglite === undefined) throw new Error('no database');
    const t = await startTestApp(pglite, { SHL_FHIR_CONTENT_TYPE_PARAM: 'false' });
    try {
      const link = (
        await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: { content: bundle } })
      ).json();
      const res = (
        await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } })
      ).json();
      expect(res.files[0].contentType).toBe('application/fhir+json');
    } finally {
      await t.close();
    }
  });
});
