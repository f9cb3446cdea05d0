import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, countRows, startTestApp, type TestApp } from './support/test-app.js';

const patient = { resourceType: 'Patient' };
const UNKNOWN = 'Z'.repeat(43);

interface BadRequest {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  status: number;
  code?: string;
}

/** A well-formed compact JWE (96-bit IV, 128-bit tag) with this protected header and no real content. */
const jweWithHeader = (header: Record<string, string>): string =>
  `${Buffer.from(JSON.stringify(header)).toString('base64url')}..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`;

describe.each(testDatabases())('bad input on every route on $name', (target) => {
  let t: TestApp;
  let plain: string;
  let longTerm: string;
  let direct: string;
  beforeAll(async () => {
    t = await startTestApp(target);
    const create = async (body: Record<string, unknown>) =>
      (await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: body })).json()
        .id as string;
    plain = await create({ content: patient });
    longTerm = await create({ content: patient, longTerm: true });
    direct = await create({ content: patient, direct: true, longTerm: true });
  });
  afterAll(() => t?.close());

  const cases = (): BadRequest[] => {
    const pastSeconds = Math.floor(t.clock.now() / 1000) - 1;
    const links = '/api/links';
    return [
      { name: 'create without body', method: 'POST', url: links, status: 400 },
      {
        name: 'create with neither content nor files',
        method: 'POST',
        url: links,
        payload: {},
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'create with both content and files',
        method: 'POST',
        url: links,
        payload: { content: patient, files: [{ contentType: 'application/fhir+json', content: patient }] },
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'create with content that is an array',
        method: 'POST',
        url: links,
        payload: { content: [patient] },
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'create with content text that is not JSON',
        method: 'POST',
        url: links,
        payload: { content: '{nope' },
        status: 400,
        code: 'SHL_INVALID_CONTENT',
      },
      {
        name: 'create with content that is not FHIR',
        method: 'POST',
        url: links,
        payload: { content: { hello: 1 } },
        status: 400,
        code: 'SHL_INVALID_CONTENT',
      },
      {
        name: 'create with an unknown content type',
        method: 'POST',
        url: links,
        payload: { files: [{ contentType: 'text/plain', content: patient }] },
        status: 400,
        code: 'SHL_INVALID_CONTENT_TYPE',
      },
      {
        name: 'create with an empty files list',
        method: 'POST',
        url: links,
        payload: { files: [] },
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'create with a good and a bad file',
        method: 'POST',
        url: links,
        payload: {
          files: [
            { contentType: 'application/fhir+json', content: patient },
            { contentType: 'application/smart-health-card', content: patient },
          ],
        },
        status: 400,
        code: 'SHL_INVALID_CONTENT',
      },
      {
        name: 'create mixing pre-encrypted and plain files',
        method: 'POST',
        url: links,
        payload: {
          files: [
            { contentType: 'application/fhir+json', content: patient },
            { contentType: 'application/fhir+json', jwe: 'a.b.c.d.e' },
          ],
        },
        status: 400,
      },
      {
        name: 'create with a label over 80 characters',
        method: 'POST',
        url: links,
        payload: { content: patient, label: '😀'.repeat(81) },
        status: 400,
      },
      {
        name: 'create with an expiry in the past',
        method: 'POST',
        url: links,
        payload: { content: patient, expiresAt: pastSeconds },
        status: 400,
        code: 'SHL_INVALID_EXPIRY',
      },
      {
        name: 'create with an expiry in milliseconds',
        method: 'POST',
        url: links,
        payload: { content: patient, expiresAt: t.clock.now() + 60_000 },
        status: 400,
        code: 'SHL_INVALID_EXPIRY',
      },
      {
        name: 'create with zero passcode attempts',
        method: 'POST',
        url: links,
        payload: { content: patient, passcode: 'x', passcodeAttempts: 0 },
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'create with attempts but no passcode',
        method: 'POST',
        url: links,
        payload: { content: patient, passcodeAttempts: 3 },
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'create with a passcode that is a number',
        method: 'POST',
        url: links,
        payload: { content: patient, passcode: 1234 },
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'create with an unknown field',
        method: 'POST',
        url: links,
        payload: { content: patient, flag: 'P' },
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'create with a U link and a passcode',
        method: 'POST',
        url: links,
        payload: { content: patient, direct: true, passcode: 'x' },
        status: 400,
        code: 'SHL_FLAG_CONFLICT',
      },
      {
        name: 'create with malformed JSON',
        method: 'POST',
        url: links,
        payload: '{"content":',
        headers: { 'content-type': 'application/json' },
        status: 400,
        code: 'SHL_INVALID_JSON',
      },
      {
        name: 'create with a text/plain body',
        method: 'POST',
        url: links,
        payload: 'hello',
        headers: { 'content-type': 'text/plain' },
        status: 415,
        code: 'SHL_UNSUPPORTED_MEDIA_TYPE',
      },
      {
        name: 'create with a body over the limit',
        method: 'POST',
        url: links,
        payload: { content: { resourceType: 'Binary', data: 'x'.repeat(9 * 1024 * 1024) } },
        status: 413,
        code: 'SHL_BODY_TOO_LARGE',
      },
      {
        name: 'list with an unknown status',
        method: 'GET',
        url: `${links}?status=gone`,
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'list with limit 0',
        method: 'GET',
        url: `${links}?limit=0`,
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'list with a forged cursor',
        method: 'GET',
        url: `${links}?cursor=abc`,
        status: 400,
        code: 'SHL_INVALID_CURSOR',
      },
      {
        name: 'read a malformed id',
        method: 'GET',
        url: `${links}/short`,
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'read an unknown id',
        method: 'GET',
        url: `${links}/${UNKNOWN}`,
        status: 404,
        code: 'SHL_NOT_FOUND',
      },
      {
        name: 'patch with nothing to change',
        method: 'PATCH',
        url: `${links}/${plain}`,
        payload: {},
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'patch a label that is a number',
        method: 'PATCH',
        url: `${links}/${plain}`,
        payload: { label: 5 },
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'patch an expiry in the past',
        method: 'PATCH',
        url: `${links}/${plain}`,
        payload: { expiresAt: pastSeconds },
        status: 400,
        code: 'SHL_INVALID_EXPIRY',
      },
      {
        name: 'patch re-arm without a passcode',
        method: 'PATCH',
        url: `${links}/${plain}`,
        payload: { rearm: true },
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'patch a passcode onto a U link',
        method: 'PATCH',
        url: `${links}/${direct}`,
        payload: { passcode: 'x' },
        status: 400,
        code: 'SHL_FLAG_CONFLICT',
      },
      {
        name: 'patch an unknown id',
        method: 'PATCH',
        url: `${links}/${UNKNOWN}`,
        payload: { label: 'x' },
        status: 404,
        code: 'SHL_NOT_FOUND',
      },
      {
        name: 'delete a malformed id',
        method: 'DELETE',
        url: `${links}/x`,
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'delete an unknown id',
        method: 'DELETE',
        url: `${links}/${UNKNOWN}`,
        status: 404,
        code: 'SHL_NOT_FOUND',
      },
      {
        name: 'put files on a link without L',
        method: 'PUT',
        url: `${links}/${plain}/files`,
        payload: { content: patient },
        status: 409,
        code: 'SHL_NOT_LONG_TERM',
      },
      {
        name: 'put files that are not FHIR',
        method: 'PUT',
        url: `${links}/${longTerm}/files`,
        payload: { content: { nope: true } },
        status: 400,
        code: 'SHL_INVALID_CONTENT',
      },
      {
        name: 'put two files on a U link',
        method: 'PUT',
        url: `${links}/${direct}/files`,
        payload: {
          files: [
            { contentType: 'application/fhir+json', content: patient },
            { contentType: 'application/fhir+json', content: patient },
          ],
        },
        status: 400,
        code: 'SHL_FLAG_CONFLICT',
      },
      {
        name: 'put a JWE not made with the link key',
        method: 'PUT',
        url: `${links}/${longTerm}/files`,
        payload: {
          files: [
            {
              contentType: 'application/fhir+json',
              jwe: jweWithHeader({ alg: 'dir', enc: 'A256GCM', cty: 'application/fhir+json' }),
            },
          ],
        },
        status: 400,
        code: 'SHL_INVALID_JWE',
      },
      {
        name: 'create from a JWE without cty',
        method: 'POST',
        url: links,
        payload: {
          files: [
            { contentType: 'application/fhir+json', jwe: jweWithHeader({ alg: 'dir', enc: 'A256GCM' }) },
          ],
        },
        status: 400,
        code: 'SHL_INVALID_JWE',
      },
      {
        name: 'create from a JWE whose cty says another content type',
        method: 'POST',
        url: links,
        payload: {
          files: [
            {
              contentType: 'application/fhir+json',
              jwe: jweWithHeader({ alg: 'dir', enc: 'A256GCM', cty: 'application/smart-health-card' }),
            },
          ],
        },
        status: 400,
        code: 'SHL_INVALID_JWE',
      },
      {
        name: 'put files on an unknown id',
        method: 'PUT',
        url: `${links}/${UNKNOWN}/files`,
        payload: { content: patient },
        status: 404,
        code: 'SHL_NOT_FOUND',
      },
      {
        name: 'access log with limit abc',
        method: 'GET',
        url: `${links}/${plain}/accesses?limit=abc`,
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'access log of an unknown id',
        method: 'GET',
        url: `${links}/${UNKNOWN}/accesses`,
        status: 404,
        code: 'SHL_NOT_FOUND',
      },
      {
        name: 'QR of an unknown id',
        method: 'GET',
        url: `${links}/${UNKNOWN}/qr.png`,
        status: 404,
        code: 'SHL_NOT_FOUND',
      },
      {
        name: 'QR with scale 100',
        method: 'GET',
        url: `${links}/${plain}/qr.svg?scale=100`,
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'API key without a name',
        method: 'POST',
        url: '/api/keys',
        payload: {},
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'revoke an unknown API key',
        method: 'DELETE',
        url: '/api/keys/nokey',
        status: 404,
        code: 'SHL_NOT_FOUND',
      },
      {
        name: 'revoke an API key id with bad characters',
        method: 'DELETE',
        url: '/api/keys/a%20b',
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'manifest without recipient',
        method: 'POST',
        url: `/shl/${plain}`,
        payload: { passcode: 'x' },
        status: 400,
        code: 'SHL_INVALID_MANIFEST_REQUEST',
      },
      {
        name: 'manifest with recipient a number',
        method: 'POST',
        url: `/shl/${plain}`,
        payload: { recipient: 7 },
        status: 400,
        code: 'SHL_INVALID_MANIFEST_REQUEST',
      },
      {
        name: 'manifest with a blank recipient',
        method: 'POST',
        url: `/shl/${plain}`,
        payload: { recipient: '   ' },
        status: 400,
        code: 'SHL_INVALID_MANIFEST_REQUEST',
      },
      {
        name: 'manifest with a NUL in the recipient',
        method: 'POST',
        url: `/shl/${plain}`,
        payload: { recipient: 'a\u0000b' },
        status: 400,
        code: 'SHL_INVALID_MANIFEST_REQUEST',
      },
      {
        name: 'manifest with a malformed id: unknown, so the uniform 404',
        method: 'POST',
        url: '/shl/abc',
        payload: { recipient: 'r' },
        status: 404,
        code: 'SHL_NOT_FOUND',
      },
      {
        name: 'direct file without recipient',
        method: 'GET',
        url: `/shl/${direct}`,
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      {
        name: 'location file without ticket',
        method: 'GET',
        url: `/shl/${plain}/files/abc`,
        status: 400,
        code: 'SHL_VALIDATION_FAILED',
      },
      { name: 'unknown route', method: 'GET', url: '/api/nothing', status: 404, code: 'SHL_NOT_FOUND' },
    ];
  };

  it('answers every bad request with a 4xx JSON error and writes nothing', async () => {
    for (const bad of cases()) {
      const before = await countRows(t.db);
      const res = await t.app.inject({
        method: bad.method,
        url: bad.url,
        headers: { ...AUTH, ...bad.headers },
        ...(bad.payload === undefined ? {} : { payload: bad.payload as string }),
      });
      expect(res.statusCode, bad.name).toBe(bad.status);
      expect(res.headers['content-type'], bad.name).toContain('application/json');
      const body = res.json();
      expect(typeof body.error?.code, bad.name).toBe('string');
      expect(body.error.message.length, bad.name).toBeGreaterThan(0);
      if (bad.code !== undefined) expect(body.error.code, bad.name).toBe(bad.code);
      expect(await countRows(t.db), bad.name).toEqual(before);
    }
  });
});
