import {
  createManagementClient,
  isManagementApiError,
  type ManagementApiError,
  type ManagementClient,
} from '@shlkit/api';
import { decodeShlink, encryptFile, generateShlId, generateShlKey } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { API_KEY, type ListeningServer, startListeningServer } from './support/test-app.js';

// The typed client of @shlkit/api over real HTTP against the real server: the contract, as the server
// serves it and the client reads it. Every answer is checked against its schema by the client itself.

const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Example' }] };

const caught = async (promise: Promise<unknown>): Promise<ManagementApiError> => {
  try {
    await promise;
  } catch (error) {
    if (isManagementApiError(error)) return error;
    throw error;
  }
  throw new Error('expected a ManagementApiError');
};

describe.each(testDatabases())('the @shlkit/api client against the real server on $name', (target) => {
  let server: ListeningServer;
  let client: ManagementClient;
  beforeAll(async () => {
    server = await startListeningServer(target);
    client = createManagementClient({ baseUrl: server.url, auth: { bearer: API_KEY } });
  });
  afterAll(() => server?.close());

  const askManifest = (url: string, body: Record<string, unknown>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('create, list, show, patch, read the access log, draw the QR code and delete a link', async () => {
    const created = await client.createLink({ content: patient, label: 'For Dr. Who', passcode: '4711' });
    expect(created).toMatchObject({ status: 'active', flag: 'P', label: 'For Dr. Who', fileCount: 1 });
    expect(created.payload.url).toBe(`${server.url}/shl/${created.id}`);
    expect(decodeShlink(created.shlink ?? '')).toEqual(created.payload);
    expect(created.viewerUrl).toBe(`${server.url}/view#${created.shlink}`);

    const listed = await client.listLinks({ status: 'active', limit: 200 });
    expect(listed.links.map((link) => link.id)).toContain(created.id);
    expect(listed.nextCursor).toBeNull();

    const patched = await client.updateLink(created.id, { label: null, passcodeAttempts: 3 });
    expect(patched).toMatchObject({ id: created.id, label: null, remainingAttempts: 3 });

    expect((await askManifest(created.payload.url, { recipient: 'Dr. Who', passcode: '0000' })).status).toBe(
      401,
    );
    expect((await askManifest(created.payload.url, { recipient: 'Dr. Who', passcode: '4711' })).status).toBe(
      200,
    );
    const log = await client.listAccesses(created.id, { limit: 1 });
    expect(log.accesses).toEqual([
      expect.objectContaining({ recipient: 'Dr. Who', path: 'manifest', outcome: 'ok' }),
    ]);
    expect(log.nextCursor).not.toBeNull();
    const older = await client.listAccesses(created.id, { cursor: log.nextCursor ?? undefined });
    expect(older.accesses.map((access) => access.outcome)).toEqual(['wrong-passcode']);
    // The last page says so: no cursor to follow.
    expect(older.nextCursor).toBeNull();
    expect(await client.getLink(created.id)).toMatchObject({ accessCount: 2, remainingAttempts: 2 });

    const png = await client.getQrPng(created.id, { scale: 2 });
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(await client.getQrSvg(created.id)).toMatch(/^<svg /);

    await client.deleteLink(created.id);
    expect(await client.getLink(created.id)).toMatchObject({ status: 'revoked', fileCount: 0 });
    expect((await askManifest(created.payload.url, { recipient: 'Dr. Who', passcode: '4711' })).status).toBe(
      404,
    );
  });

  it('a link from pre-encrypted files is zero-knowledge: no key, no shlink, no QR code from the server', async () => {
    const key = generateShlKey();
    const jwe = await encryptFile(JSON.stringify(patient), key, { contentType: 'application/fhir+json' });
    const created = await client.createLink({
      files: [{ contentType: 'application/fhir+json', jwe }],
      longTerm: true,
    });
    expect(created).toMatchObject({ zeroKnowledge: true, flag: 'L' });
    expect(created.payload.key).toBeUndefined();
    expect(created.shlink).toBeUndefined();
    expect(created.viewerUrl).toBeUndefined();
    expect(await caught(client.getQrPng(created.id))).toMatchObject({
      code: 'SHL_ZERO_KNOWLEDGE',
      status: 409,
    });

    const other = await encryptFile(JSON.stringify({ ...patient, id: 'p2' }), key, {
      contentType: 'application/fhir+json',
    });
    const replaced = await client.replaceLinkFiles(created.id, {
      files: [{ contentType: 'application/fhir+json', jwe: other }],
    });
    expect(replaced).toMatchObject({ id: created.id, fileCount: 1 });
  });

  it('API keys: the token of a new key works until the key is revoked, then answers SHL_UNAUTHORIZED', async () => {
    const key = await client.createApiKey({ name: 'client tests' });
    expect(key.token).toMatch(/^shlk_/);
    const withKey = createManagementClient({ baseUrl: server.url, auth: { bearer: key.token } });
    expect((await withKey.listApiKeys()).keys).toContainEqual(
      expect.objectContaining({ id: key.id, name: 'client tests', revokedAt: null }),
    );
    await client.revokeApiKey(key.id);
    expect(await caught(withKey.listLinks())).toMatchObject({
      code: 'SHL_UNAUTHORIZED',
      status: 401,
      method: 'GET',
      path: '/api/links',
    });
    expect(await caught(client.revokeApiKey(key.id))).toMatchObject({ code: 'SHL_NOT_FOUND', status: 404 });
  });

  it('createLink with an idempotencyKey: a retry gets the same link; the key with another body, SHL_IDEMPOTENCY_KEY_REUSED', async () => {
    const first = await client.createLink(
      { content: patient, label: 'once' },
      { idempotencyKey: 'client-1' },
    );
    const again = await client.createLink(
      { content: patient, label: 'once' },
      { idempotencyKey: 'client-1' },
    );
    // The same link; its management token is a new one, the lost answer's cannot be rebuilt.
    const { managementToken: firstToken, ...firstLink } = first;
    const { managementToken: againToken, ...againLink } = again;
    expect(againLink).toEqual(firstLink);
    expect(againToken).not.toBe(firstToken);
    const other = await client.createLink({ content: patient, label: 'once' });
    expect(other.id).not.toBe(first.id);
    expect(
      await caught(client.createLink({ content: patient, label: 'twice' }, { idempotencyKey: 'client-1' })),
    ).toMatchObject({ code: 'SHL_IDEMPOTENCY_KEY_REUSED', status: 422, field: 'Idempotency-Key' });
  });

  it('refusals arrive as coded errors with status and field', async () => {
    expect(await caught(client.getLink(generateShlId()))).toMatchObject({
      code: 'SHL_NOT_FOUND',
      status: 404,
    });
    expect(await caught(client.getLink('not-a-link-id'))).toMatchObject({
      code: 'SHL_VALIDATION_FAILED',
      status: 400,
      field: 'id',
    });
    expect(await caught(client.createLink({ content: patient, expiresAt: 1 }))).toMatchObject({
      code: 'SHL_INVALID_EXPIRY',
      status: 400,
      field: 'expiresAt',
    });
    const link = await client.createLink({ content: patient });
    expect(await caught(client.replaceLinkFiles(link.id, { content: patient }))).toMatchObject({
      code: 'SHL_NOT_LONG_TERM',
      status: 409,
    });
    expect(await caught(client.listLinks({ cursor: 'abc' }))).toMatchObject({
      code: 'SHL_INVALID_CURSOR',
      field: 'cursor',
    });
  });
});
