import { decryptFile } from '@shlkit/core';
import { compactDecrypt, decodeProtectedHeader, errors as jose5Errors } from 'jose5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [{ resource: { resourceType: 'Patient', id: 'x', name: [{ text: 'Zoë Ünal' }] } }],
};

/** jose 5 is what many receivers run: it has no `zip: DEF` support at all. */
const decryptWithJose5 = async (jwe: string, key: string): Promise<unknown> => {
  const { plaintext } = await compactDecrypt(jwe, Buffer.from(key, 'base64url'));
  return JSON.parse(new TextDecoder().decode(plaintext));
};

describe.each(testDatabases())('file compression on $name', (target) => {
  describe('by default', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(target);
    });
    afterAll(() => t?.close());

    it('encrypts a link file without zip: DEF, so that jose 5 decrypts it', async () => {
      const link = (
        await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: { content: bundle } })
      ).json();
      const manifest = (
        await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } })
      ).json();
      const jwe: string = manifest.files[0].embedded;
      expect(decodeProtectedHeader(jwe)).toEqual({
        alg: 'dir',
        enc: 'A256GCM',
        cty: 'application/fhir+json',
      });
      expect(await decryptWithJose5(jwe, link.payload.key)).toEqual(bundle);
    });

    it('serves the file of a direct (U) link without zip: DEF', async () => {
      const link = (
        await t.app.inject({
          method: 'POST',
          url: '/api/links',
          headers: AUTH,
          payload: { content: bundle, direct: true },
        })
      ).json();
      const res = await t.app.inject({ url: `/shl/${link.id}?recipient=r` });
      expect(decodeProtectedHeader(res.body).zip).toBeUndefined();
      expect(await decryptWithJose5(res.body, link.payload.key)).toEqual(bundle);
    });
  });

  describe('with SHL_COMPRESS_FILES=true', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(target, { SHL_COMPRESS_FILES: 'true' });
    });
    afterAll(() => t?.close());

    it('encrypts with zip: DEF, which our receivers inflate and jose 5 refuses', async () => {
      const link = (
        await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: { content: bundle } })
      ).json();
      const manifest = (
        await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } })
      ).json();
      const jwe: string = manifest.files[0].embedded;
      expect(decodeProtectedHeader(jwe)).toMatchObject({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
      expect(JSON.parse((await decryptFile(jwe, link.payload.key)).text())).toEqual(bundle);
      await expect(decryptWithJose5(jwe, link.payload.key)).rejects.toBeInstanceOf(
        jose5Errors.JOSENotSupported,
      );
    });
  });
});
