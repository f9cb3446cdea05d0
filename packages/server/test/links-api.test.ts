import { decodeShlink, decryptFile } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, BASE, startTestApp, type TestApp } from './support/test-app.js';

const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Example' }] };

describe.each(testDatabases())('management API on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  const create = (body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: body });

  it('creates a link from one FHIR resource: 201 with id, shlink, viewerUrl and payload', async () => {
    const res = await create({ content: patient, label: 'For Dr. Who' });
    expect(res.statusCode).toBe(201);
    const link = res.json();
    expect(link.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.payload.url).toBe(`${BASE}/shl/${link.id}`);
    expect(link.payload.url.length).toBeLessThanOrEqual(128);
    expect(link.payload.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.viewerUrl).toBe(`${BASE}/view#${link.shlink}`);
    expect(decodeShlink(link.shlink)).toEqual(link.payload);
    expect(link).toMatchObject({ status: 'active', flag: '', label: 'For Dr. Who', fileCount: 1 });
  });

  it('takes a label of 80 UTF-16 code units and refuses one over, counting an astral emoji as 2', async () => {
    // SHL: label at most 80 characters; receivers count JavaScript string length.
    const astral40 = '😀'.repeat(40);
    const astral80 = '😀'.repeat(80);
    for (const label of ['x'.repeat(80), astral40, `${'😀'.repeat(39)}xx`]) {
      const res = await create({ content: patient, label });
      expect(res.statusCode).toBe(201);
      expect(decodeShlink(res.json().shlink).label).toBe(label);
    }
    const refused: [string, string][] = [
      [`${astral40}x`, 'SHL_INVALID_LABEL'],
      ['😀'.repeat(41), 'SHL_INVALID_LABEL'],
      // 80 code points pass the schema's maxLength, but they are 160 code units.
      [astral80, 'SHL_INVALID_LABEL'],
      ['x'.repeat(81), 'SHL_VALIDATION_FAILED'],
    ];
    for (const [label, code] of refused) {
      const res = await create({ content: patient, label });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code, field: 'label' });
    }
    const link = (await create({ content: patient })).json();
    const patch = (label: string) =>
      t.app.inject({ method: 'PATCH', url: `/api/links/${link.id}`, headers: AUTH, payload: { label } });
    expect((await patch(astral80)).json().error).toMatchObject({ code: 'SHL_INVALID_LABEL', field: 'label' });
    expect((await patch(astral40)).statusCode).toBe(200);
  });

  it('lists FHIR as application/fhir+json;fhirVersion=4.0.1 with the bare type as the JWE cty', async () => {
    const link = (await create({ content: patient })).json();
    const manifest = (
      await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'Dr. Who' } })
    ).json();
    expect(manifest.files[0].contentType).toBe('application/fhir+json;fhirVersion=4.0.1');
    const file = await decryptFile(manifest.files[0].embedded, link.payload.key);
    expect(file.contentType).toBe('application/fhir+json');
    expect(JSON.parse(file.text())).toEqual(patient);
  });

  it('sets the flags from longTerm, passcode and direct', async () => {
    expect((await create({ content: patient, longTerm: true })).json().flag).toBe('L');
    expect((await create({ content: patient, passcode: 'x', longTerm: true })).json().flag).toBe('LP');
    expect((await create({ content: patient, direct: true, longTerm: true })).json().flag).toBe('LU');
  });

  it('refuses a direct link with a passcode or with more than one file (SHL_FLAG_CONFLICT)', async () => {
    const withPasscode = await create({ content: patient, direct: true, passcode: '1234' });
    expect(withPasscode.statusCode).toBe(400);
    expect(withPasscode.json().error.code).toBe('SHL_FLAG_CONFLICT');
    const twoFiles = await create({
      direct: true,
      files: [
        { contentType: 'application/fhir+json', content: patient },
        { contentType: 'application/fhir+json', content: patient },
      ],
    });
    expect(twoFiles.json().error.code).toBe('SHL_FLAG_CONFLICT');
  });

  it('accepts files of all three content types', async () => {
    const res = await create({
      files: [
        { contentType: 'application/fhir+json', content: patient },
        { contentType: 'application/smart-health-card', content: { verifiableCredential: ['a.b.c'] } },
        {
          contentType: 'application/smart-api-access',
          content: { access_token: 't', aud: 'https://fhir.example' },
        },
      ],
    });
    expect(res.statusCode).toBe(201);
    const manifest = (
      await t.app.inject({ method: 'POST', url: `/shl/${res.json().id}`, payload: { recipient: 'r' } })
    ).json();
    expect(manifest.files.map((file: { contentType: string }) => file.contentType)).toEqual([
      'application/fhir+json;fhirVersion=4.0.1',
      'application/smart-health-card',
      'application/smart-api-access',
    ]);
  });

  it('keeps pre-encrypted files as they are and never answers a key (zero knowledge)', async () => {
    const own = (await create({ content: patient })).json();
    const jwe = (
      await t.app.inject({ method: 'POST', url: `/shl/${own.id}`, payload: { recipient: 'r' } })
    ).json().files[0].embedded;
    const res = await create({ files: [{ contentType: 'application/fhir+json', jwe }] });
    expect(res.statusCode).toBe(201);
    const link = res.json();
    expect(link.payload.key).toBeUndefined();
    expect(link.shlink).toBeUndefined();
    expect(link.viewerUrl).toBeUndefined();
    expect(link.zeroKnowledge).toBe(true);
    const manifest = (
      await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } })
    ).json();
    expect(manifest.files[0].embedded).toBe(jwe);
    const qr = await t.app.inject({ url: `/api/links/${link.id}/qr.png`, headers: AUTH });
    expect(qr.statusCode).toBe(409);
    expect(qr.json().error.code).toBe('SHL_ZERO_KNOWLEDGE');
  });

  it('refuses a pre-encrypted file that is not a dir/A256GCM compact JWE (SHL_INVALID_JWE)', async () => {
    const jws = 'eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln';
    const res = await create({ files: [{ contentType: 'application/fhir+json', jwe: jws }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SHL_INVALID_JWE');
    const rsa = `${Buffer.from('{"alg":"RSA-OAEP","enc":"A256GCM"}').toString('base64url')}.a.b.c.d`;
    expect(
      (await create({ files: [{ contentType: 'application/fhir+json', jwe: rsa }] })).json().error.code,
    ).toBe('SHL_INVALID_JWE');
  });

  it('reads a link back with status, attempts, counts and timestamps', async () => {
    const link = (await create({ content: patient, passcode: 'pw', passcodeAttempts: 3 })).json();
    await t.app.inject({
      method: 'POST',
      url: `/shl/${link.id}`,
      payload: { recipient: 'r', passcode: 'no' },
    });
    const res = await t.app.inject({ url: `/api/links/${link.id}`, headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: link.id,
      status: 'active',
      passcode: true,
      passcodeAttempts: 3,
      remainingAttempts: 2,
      accessCount: 1,
      shlink: link.shlink,
    });
    expect(res.json().lastAccessAt).not.toBeNull();
  });

  it('lists links newest first, filtered by status and paginated by cursor', async () => {
    const revoked = (await create({ content: patient, label: 'to revoke' })).json();
    await t.app.inject({ method: 'DELETE', url: `/api/links/${revoked.id}`, headers: AUTH });
    const all = (await t.app.inject({ url: '/api/links?limit=200', headers: AUTH })).json();
    expect(all.links.length).toBeGreaterThan(5);
    expect(all.links[0].id).toBe(revoked.id);
    const onlyRevoked = (await t.app.inject({ url: '/api/links?status=revoked', headers: AUTH })).json();
    expect(onlyRevoked.links.map((link: { id: string }) => link.id)).toContain(revoked.id);
    expect(onlyRevoked.links.every((link: { status: string }) => link.status === 'revoked')).toBe(true);
    const page1 = (await t.app.inject({ url: '/api/links?limit=2', headers: AUTH })).json();
    expect(page1.links).toHaveLength(2);
    const page2 = (
      await t.app.inject({ url: `/api/links?limit=2&cursor=${page1.nextCursor}`, headers: AUTH })
    ).json();
    expect(page2.links[0].id).toBe(all.links[2].id);
  });

  it('PATCH changes label and expiry (the link text follows), deactivates and reactivates', async () => {
    const link = (await create({ content: patient })).json();
    const exp = Math.floor(t.clock.now() / 1000) + 3600;
    const patched = (
      await t.app.inject({
        method: 'PATCH',
        url: `/api/links/${link.id}`,
        headers: AUTH,
        payload: { label: 'new label', expiresAt: exp },
      })
    ).json();
    expect(decodeShlink(patched.shlink)).toMatchObject({ label: 'new label', exp, key: link.payload.key });
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${link.id}`,
      headers: AUTH,
      payload: { active: false },
    });
    expect(off.json().status).toBe('revoked');
    expect(off.json().deactivatedAt).not.toBeNull();
    expect(
      (await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } }))
        .statusCode,
    ).toBe(404);
    const on = await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${link.id}`,
      headers: AUTH,
      payload: { active: true },
    });
    expect(on.json().status).toBe('active');
    expect(
      (await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } }))
        .statusCode,
    ).toBe(200);
  });

  it('PATCH re-arms a locked link and changes or removes its passcode', async () => {
    const link = (await create({ content: patient, passcode: 'right', passcodeAttempts: 1 })).json();
    await t.app.inject({
      method: 'POST',
      url: `/shl/${link.id}`,
      payload: { recipient: 'r', passcode: 'wrong' },
    });
    expect((await t.app.inject({ url: `/api/links/${link.id}`, headers: AUTH })).json().status).toBe(
      'locked',
    );
    const rearmed = await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${link.id}`,
      headers: AUTH,
      payload: { rearm: true },
    });
    expect(rearmed.json()).toMatchObject({ status: 'active', remainingAttempts: 1 });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${link.id}`,
      headers: AUTH,
      payload: { passcode: 'other' },
    });
    const withNew = await t.app.inject({
      method: 'POST',
      url: `/shl/${link.id}`,
      payload: { recipient: 'r', passcode: 'other' },
    });
    expect(withNew.statusCode).toBe(200);
    const removed = (
      await t.app.inject({
        method: 'PATCH',
        url: `/api/links/${link.id}`,
        headers: AUTH,
        payload: { passcode: null },
      })
    ).json();
    expect(removed.flag).toBe('');
    expect(
      (await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } }))
        .statusCode,
    ).toBe(200);
  });

  it('DELETE revokes for good: files purged, 404 to receivers, PATCH refused', async () => {
    const link = (await create({ content: patient })).json();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/links/${link.id}`, headers: AUTH });
    expect(del.statusCode).toBe(204);
    const files = await t.db.selectFrom('shl_files').select('id').where('link_id', '=', link.id).execute();
    expect(files).toHaveLength(0);
    expect(
      (await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } }))
        .statusCode,
    ).toBe(404);
    const view = (await t.app.inject({ url: `/api/links/${link.id}`, headers: AUTH })).json();
    expect(view).toMatchObject({ status: 'revoked', fileCount: 0 });
    expect(view.shlink).toBeUndefined();
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${link.id}`,
      headers: AUTH,
      payload: { active: true },
    });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().error.code).toBe('SHL_LINK_REVOKED');
  });

  it('PUT files replaces the content of an L link: same key, new IV, lastUpdated moves', async () => {
    const link = (await create({ content: patient, longTerm: true })).json();
    const before = (
      await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } })
    ).json();
    t.clock.advance(60_000);
    const updated = { ...patient, name: [{ family: 'Changed' }] };
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/links/${link.id}/files`,
      headers: AUTH,
      payload: { content: updated },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().payload.key).toBe(link.payload.key);
    const after = (
      await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } })
    ).json();
    expect(after.status).toBe('can-change');
    expect(Date.parse(after.files[0].lastUpdated)).toBe(Date.parse(before.files[0].lastUpdated) + 60_000);
    expect(after.files[0].embedded.split('.')[2]).not.toBe(before.files[0].embedded.split('.')[2]);
    expect(JSON.parse((await decryptFile(after.files[0].embedded, link.payload.key)).text())).toEqual(
      updated,
    );
  });

  it('PUT files on a link without L answers 409 SHL_NOT_LONG_TERM', async () => {
    const link = (await create({ content: patient })).json();
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/links/${link.id}/files`,
      headers: AUTH,
      payload: { content: patient },
    });
    expect(put.statusCode).toBe(409);
    expect(put.json().error.code).toBe('SHL_NOT_LONG_TERM');
  });

  it('keeps an access log, newest first: time, recipient, path and outcome', async () => {
    const link = (await create({ content: patient, passcode: 'pw' })).json();
    await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'first' } });
    await t.app.inject({
      method: 'POST',
      url: `/shl/${link.id}`,
      payload: { recipient: 'second', passcode: 'bad' },
    });
    await t.app.inject({
      method: 'POST',
      url: `/shl/${link.id}`,
      payload: { recipient: 'third', passcode: 'pw' },
    });
    const log = (await t.app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).json();
    expect(
      log.accesses.map((a: { recipient: string; path: string; outcome: string }) => [
        a.recipient,
        a.path,
        a.outcome,
      ]),
    ).toEqual([
      ['third', 'manifest', 'ok'],
      ['second', 'manifest', 'wrong-passcode'],
      ['first', 'manifest', 'passcode-required'],
    ]);
    expect(Number.isNaN(Date.parse(log.accesses[0].at))).toBe(false);
  });

  it('draws the QR code of the viewer URL as PNG and SVG', async () => {
    const link = (await create({ content: patient })).json();
    const png = await t.app.inject({ url: `/api/links/${link.id}/qr.png`, headers: AUTH });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const svg = await t.app.inject({ url: `/api/links/${link.id}/qr.svg`, headers: AUTH });
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
  });

  it('refuses the management API without a valid token (401 SHL_UNAUTHORIZED)', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-000000000' },
      { authorization: 'Basic eDp5' },
    ]) {
      const res = await t.app.inject({ url: '/api/links', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('SHL_UNAUTHORIZED');
    }
  });

  it('checks credentials before it reads the body: no token and a broken body is 401, not 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: { 'content-type': 'application/json' },
      payload: '{"content": ',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SHL_UNAUTHORIZED');
  });

  it('creates, uses, lists and revokes API keys, storing only their hash', async () => {
    const created = (
      await t.app.inject({ method: 'POST', url: '/api/keys', headers: AUTH, payload: { name: 'ci' } })
    ).json();
    expect(created.token).toMatch(/^shlk_/);
    const withKey = { authorization: `Bearer ${created.token}` };
    expect((await t.app.inject({ url: '/api/links?limit=1', headers: withKey })).statusCode).toBe(200);
    const rows = await t.db.selectFrom('shl_api_keys').select('token_hash').execute();
    expect(rows.some((row) => row.token_hash === created.token)).toBe(false);
    const list = (await t.app.inject({ url: '/api/keys', headers: AUTH })).json();
    expect(list.keys.find((key: { id: string }) => key.id === created.id)).toMatchObject({
      name: 'ci',
      revokedAt: null,
    });
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/keys/${created.id}`, headers: AUTH })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/links?limit=1', headers: withKey })).statusCode).toBe(401);
  });
});
