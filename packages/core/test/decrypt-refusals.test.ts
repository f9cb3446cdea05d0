import { CompactEncrypt, errors } from 'jose';
import { describe, expect, it } from 'vitest';
import { decryptFile, encryptFile, generateShlKey, parseManifest } from '../src/index.js';

const FHIR_JSON = 'application/fhir+json';
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Each refusal names its reason by code (issue 12: the mutants these kill changed behaviour unnoticed). */
describe('decrypting a file refuses what is not an SHL JWE, each with its code', () => {
  it('a JWS of three parts, and texts of 4 or 6 parts, are SHL_INVALID_JWE before any key is used', async () => {
    const key = generateShlKey();
    const jwe = await encryptFile('{}', key, { contentType: FHIR_JSON });
    const parts = jwe.split('.');
    for (const text of [parts.slice(0, 3).join('.'), parts.slice(0, 4).join('.'), `${jwe}.extra`]) {
      // A wrong key would be SHL_INVALID_KEY if the shape were not checked first.
      await expect(decryptFile(text, 'short')).rejects.toMatchObject({ code: 'SHL_INVALID_JWE' });
    }
  });

  it('surrounding whitespace is ignored', async () => {
    const key = generateShlKey();
    const jwe = await encryptFile('{"a":1}', key, { contentType: FHIR_JSON });
    expect((await decryptFile(`\n ${jwe} \n`, key)).text()).toBe('{"a":1}');
  });

  it('a header that is not base64url JSON, or another alg or enc, is SHL_INVALID_JWE', async () => {
    const key = generateShlKey();
    const [, ...rest] = (await encryptFile('{}', key, { contentType: FHIR_JSON })).split('.');
    const withHeader = (header: string) => [header, ...rest].join('.');
    for (const header of [
      'not json!',
      b64url(JSON.stringify({ alg: 'dir', enc: 'A128GCM' })),
      b64url(JSON.stringify({ alg: 'A256KW', enc: 'A256GCM' })),
    ]) {
      await expect(decryptFile(withHeader(header), key)).rejects.toMatchObject({ code: 'SHL_INVALID_JWE' });
    }
  });

  it('another key is SHL_DECRYPT_FAILED, and the content type comes from cty only when it is a string', async () => {
    const key = generateShlKey();
    const jwe = await encryptFile('{}', key, { contentType: FHIR_JSON });
    await expect(decryptFile(jwe, generateShlKey())).rejects.toMatchObject({ code: 'SHL_DECRYPT_FAILED' });
    expect((await decryptFile(jwe, key)).contentType).toBe(FHIR_JSON);
    const bytes = Buffer.from(key, 'base64url');
    const noCty = await new CompactEncrypt(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(bytes);
    expect((await decryptFile(noCty, key)).contentType).toBeUndefined();
    const numericCty = await new CompactEncrypt(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 7 as unknown as string })
      .encrypt(bytes);
    expect((await decryptFile(numericCty, key)).contentType).toBeUndefined();
  });

  it('plaintext that is not UTF-8 decrypts as bytes, and text() is SHL_INVALID_CONTENT', async () => {
    const key = generateShlKey();
    const jwe = await encryptFile(Uint8Array.from([0x41, 0xff]), key, { contentType: FHIR_JSON });
    const file = await decryptFile(jwe, key);
    expect([...file.plaintext]).toEqual([0x41, 0xff]);
    expect(() => file.text()).toThrow(expect.objectContaining({ code: 'SHL_INVALID_CONTENT' }));
  });
});

describe('decrypting a file keeps what jose said as the cause', () => {
  it('another key is SHL_DECRYPT_FAILED caused by a jose decryption failure', async () => {
    const jwe = await encryptFile('{}', generateShlKey(), { contentType: FHIR_JSON });
    await expect(decryptFile(jwe, generateShlKey())).rejects.toMatchObject({
      code: 'SHL_DECRYPT_FAILED',
      cause: expect.any(errors.JWEDecryptionFailed),
    });
  });

  it('an IV or tag of the wrong length is SHL_DECRYPT_FAILED, not a size refusal, caused by jose', async () => {
    const key = generateShlKey();
    const [header = '', encryptedKey = '', iv = '', ciphertext = '', tag = ''] = (
      await encryptFile('{}', key, { contentType: FHIR_JSON })
    ).split('.');
    for (const broken of [
      [header, encryptedKey, 'AAAA', ciphertext, tag],
      [header, encryptedKey, iv, ciphertext, 'AAAA'],
    ]) {
      await expect(decryptFile(broken.join('.'), key)).rejects.toMatchObject({
        code: 'SHL_DECRYPT_FAILED',
        cause: expect.any(errors.JWEInvalid),
      });
    }
  });

  it('a header that is not JSON, a zip bomb and bytes that are not UTF-8 keep their cause', async () => {
    const key = generateShlKey();
    const [, ...rest] = (await encryptFile('{}', key, { contentType: FHIR_JSON })).split('.');
    await expect(decryptFile(['not json!', ...rest].join('.'), key)).rejects.toMatchObject({
      code: 'SHL_INVALID_JWE',
      cause: expect.any(Error),
    });
    const inflating = await encryptFile(new Uint8Array(2000).fill(32), key, {
      contentType: FHIR_JSON,
      compress: true,
    });
    await expect(decryptFile(inflating, key, { maxDecompressedLength: 1000 })).rejects.toMatchObject({
      code: 'SHL_DECOMPRESSED_TOO_LARGE',
      cause: expect.any(errors.JWEInvalid),
    });
    const notUtf8 = await decryptFile(
      await encryptFile(Uint8Array.from([0xff]), key, { contentType: FHIR_JSON }),
      key,
    );
    expect(() => notUtf8.text()).toThrow(
      expect.objectContaining({ code: 'SHL_INVALID_CONTENT', cause: expect.any(TypeError) }),
    );
  });
});

describe('reading a manifest keeps exactly what was sent', () => {
  it('refuses a body that is not an object, and a file that is not an object, naming the field', () => {
    for (const body of [null, [], 'files', 3]) {
      expect(() => parseManifest(body)).toThrow(
        expect.objectContaining({ code: 'SHL_INVALID_MANIFEST', field: '' }),
      );
    }
    for (const file of [null, [], 'x']) {
      expect(() => parseManifest({ files: [file] })).toThrow(
        expect.objectContaining({ code: 'SHL_INVALID_MANIFEST', field: 'files[0]' }),
      );
    }
    expect(() => parseManifest({ files: [{ contentType: '', embedded: 'e' }] })).toThrow(
      expect.objectContaining({ code: 'SHL_INVALID_MANIFEST', field: 'files[0].contentType' }),
    );
    expect(() => parseManifest({ files: [{ contentType: 7, embedded: 'e' }] })).toThrow(
      expect.objectContaining({ code: 'SHL_INVALID_MANIFEST', field: 'files[0].contentType' }),
    );
  });

  it('adds no field that was not sent, and drops a list that is not an object', () => {
    const manifest = parseManifest({ files: [{ contentType: FHIR_JSON, embedded: 'e' }], list: [1] });
    expect(manifest).toStrictEqual({ files: [{ contentType: FHIR_JSON, embedded: 'e' }] });
    expect(Object.keys(manifest.files[0] ?? {})).toEqual(['contentType', 'embedded']);
    const located = parseManifest({
      files: [{ contentType: FHIR_JSON, location: 'https://x/f' }],
      status: '',
    });
    expect(located).toStrictEqual({ files: [{ contentType: FHIR_JSON, location: 'https://x/f' }] });
  });

  it('keeps every field that was sent', () => {
    const list = { resourceType: 'List' };
    const file = {
      contentType: FHIR_JSON,
      embedded: 'e',
      location: 'https://x/f',
      lastUpdated: '2025-01-01T00:00:00Z',
      status: 'finalized',
      fhirVersion: '4.0.1',
    };
    expect(parseManifest({ files: [file], status: 'can-change', list })).toStrictEqual({
      files: [file],
      status: 'can-change',
      list,
    });
  });
});
