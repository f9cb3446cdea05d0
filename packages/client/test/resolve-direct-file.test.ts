import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../src/index.js';
import { type HttpFixture, local, sendText, startHttpFixture } from './http-fixture.js';
import { linkTo } from './links.js';
import { readSample } from '../../../test-support/samples.js';

const specJwe = readSample('shl-vectors/spec-example-encrypted-shc.jwe.txt');
const specPlaintext = readSample('shl-vectors/spec-example-encrypted-shc.decrypted.smart-health-card');

let server: HttpFixture;
beforeAll(async () => {
  server = await startHttpFixture();
});
afterAll(() => server.close());

describe('a U link (direct file)', () => {
  it('GETs the spec example JWE served as text/plain and decrypts it byte for byte', async () => {
    server.routes.set('/direct/spec', (_req, res) => sendText(res, 200, specJwe, 'text/plain'));
    const link = linkTo(`${server.origin}/direct/spec`, { flag: 'U' });
    const before = server.requests.length;

    const resolved = await resolve(link, { recipient: 'Dr. Test & Co', ...local });

    const sent = server.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe('GET');
    expect(new URL(sent[0]?.path ?? '', server.origin).searchParams.get('recipient')).toBe('Dr. Test & Co');
    expect(resolved.files).toHaveLength(1);
    expect(resolved.files[0]?.text).toBe(specPlaintext);
    expect(resolved.files[0]?.contentType).toBe('application/smart-health-card');
    expect(resolved.files[0]?.jwe).toBe(specJwe.trim());
    expect(resolved.status).toBeUndefined();
    expect(resolved.files[0]?.json).toEqual(JSON.parse(specPlaintext));
  });

  it('adds recipient to a URL that already has a query, keeping the existing parameters', async () => {
    server.routes.set('/direct/query', (_req, res) => sendText(res, 200, specJwe, 'application/jose'));
    const link = linkTo(`${server.origin}/direct/query?id=abc&x=1`, { flag: 'U' });
    const before = server.requests.length;

    await resolve(link, { recipient: 'clinic', ...local });

    const params = new URL(server.requests[before]?.path ?? '', server.origin).searchParams;
    expect(params.get('id')).toBe('abc');
    expect(params.get('x')).toBe('1');
    expect(params.get('recipient')).toBe('clinic');
  });

  it('accepts the link behind a viewer URL prefix', async () => {
    server.routes.set('/direct/viewer', (_req, res) => sendText(res, 200, specJwe, 'text/plain'));
    const link = `https://viewer.example.org/view#${linkTo(`${server.origin}/direct/viewer`, { flag: 'LU' })}`;

    const resolved = await resolve(link, { recipient: 'clinic', ...local });

    expect(resolved.files[0]?.text).toBe(specPlaintext);
  });

  it('reports a signed JWS published behind a U link (the IG CARIN sample) as SHL_DECRYPT_FAILED', async () => {
    const carin = readSample('shl-vectors/CARIN_INS_CD-bundle-01-enc.txt');
    server.routes.set('/direct/carin', (_req, res) => sendText(res, 200, carin, 'text/plain'));

    await expect(
      resolve(linkTo(`${server.origin}/direct/carin`, { flag: 'U' }), { recipient: 'clinic', ...local }),
    ).rejects.toMatchObject({ code: 'SHL_DECRYPT_FAILED' });
  });

  it('answers SHL_NOT_FOUND when the direct file is inactive (404)', async () => {
    await expect(
      resolve(linkTo(`${server.origin}/direct/gone`, { flag: 'U' }), { recipient: 'clinic', ...local }),
    ).rejects.toMatchObject({ code: 'SHL_NOT_FOUND', status: 404 });
  });
});
