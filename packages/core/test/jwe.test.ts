import { createDecipheriv } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { CompactEncrypt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  decodeBase64url,
  decryptFile,
  encryptFile,
  FHIR_JSON,
  generateShlKey,
  isShlError,
  type ShlErrorCode,
  SMART_HEALTH_CARD,
} from '../src/index.js';
import { ipsSampleNames, readSample } from '../../../test-support/samples.js';

const specKey = 'rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q';

const expectCode = async (promise: Promise<unknown>, code: ShlErrorCode) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isShlError(error) ? error.code : error).toBe(code);
};

describe('decrypting files', () => {
  it("decrypts the spec's encryption example byte for byte", async () => {
    const jwe = readSample('shl-vectors/spec-example-encrypted-shc.jwe.txt');
    const file = await decryptFile(jwe, specKey);
    expect(file.text()).toBe(
      readSample('shl-vectors/spec-example-encrypted-shc.decrypted.smart-health-card'),
    );
    expect(file.contentType).toBe(SMART_HEALTH_CARD);
  });

  it('takes the key as bytes as well as base64url', async () => {
    const jwe = readSample('shl-vectors/spec-example-encrypted-shc.jwe.txt');
    const file = await decryptFile(jwe, decodeBase64url(specKey));
    expect(JSON.parse(file.text()).verifiableCredential).toHaveLength(1);
  });

  it('says a signed JWS is not an encrypted file (the CARIN negative vector)', async () => {
    const jws = readSample('shl-vectors/CARIN_INS_CD-bundle-01-enc.txt');
    await expectCode(decryptFile(jws, specKey), 'SHL_INVALID_JWE');
  });

  it('refuses text that is not a compact JWE', async () => {
    await expectCode(decryptFile('a.b', specKey), 'SHL_INVALID_JWE');
    await expectCode(decryptFile('!!.b.c.d.e', specKey), 'SHL_INVALID_JWE');
  });

  it('refuses algorithms other than dir + A256GCM', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A128GCM' })
      .encrypt(new Uint8Array(16));
    await expectCode(decryptFile(jwe, specKey), 'SHL_INVALID_JWE');
  });

  it('fails with SHL_DECRYPT_FAILED under the wrong key', async () => {
    const jwe = readSample('shl-vectors/spec-example-encrypted-shc.jwe.txt');
    await expectCode(decryptFile(jwe, generateShlKey()), 'SHL_DECRYPT_FAILED');
  });

  it('refuses a key that is not 32 bytes', async () => {
    const jwe = readSample('shl-vectors/spec-example-encrypted-shc.jwe.txt');
    await expectCode(decryptFile(jwe, 'short'), 'SHL_INVALID_KEY');
    await expectCode(decryptFile(jwe, new Uint8Array(16)), 'SHL_INVALID_KEY');
    // The error names the field, so that a form can point at it.
    for (const key of ['short', 'x'.repeat(42) + '!', new Uint8Array(16)]) {
      await expect(encryptFile('{}', key, { contentType: FHIR_JSON })).rejects.toMatchObject({
        code: 'SHL_INVALID_KEY',
        field: 'key',
      });
    }
  });

  it('stops a zip bomb at the decompression limit', async () => {
    const key = generateShlKey();
    // 20 MB of one byte compresses to about 20 kB: past the default 16 MiB cap.
    const bomb = await encryptFile(new Uint8Array(20 * 1024 * 1024).fill(32), key, {
      contentType: FHIR_JSON,
      compress: true,
    });
    expect(bomb.length).toBeLessThan(100_000);
    await expectCode(decryptFile(bomb, key), 'SHL_DECOMPRESSED_TOO_LARGE');
    await expectCode(decryptFile(bomb, key, { maxDecompressedLength: 1000 }), 'SHL_DECOMPRESSED_TOO_LARGE');
  });

  it('says when decrypted bytes are not UTF-8', async () => {
    const key = generateShlKey();
    const jwe = await encryptFile(new Uint8Array([0xff, 0xfe, 0x00]), key, { contentType: FHIR_JSON });
    const file = await decryptFile(jwe, key);
    expect(() => file.text()).toThrow(expect.objectContaining({ code: 'SHL_INVALID_CONTENT' }));
  });
});

describe('encrypting files', () => {
  it('always writes dir, A256GCM and cty, and zip DEF only when asked', async () => {
    const key = generateShlKey();
    const plain = decodeProtectedHeader(await encryptFile('{}', key, { contentType: FHIR_JSON }));
    expect(plain).toEqual({ alg: 'dir', enc: 'A256GCM', cty: FHIR_JSON });
    const zipped = decodeProtectedHeader(
      await encryptFile('{}', key, { contentType: FHIR_JSON, compress: true }),
    );
    expect(zipped).toEqual({ alg: 'dir', enc: 'A256GCM', cty: FHIR_JSON, zip: 'DEF' });
  });

  it('leaves the encrypted-key part empty and draws a fresh IV every time', async () => {
    const key = generateShlKey();
    const ivs = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const [, encryptedKey, iv] = (await encryptFile('same text', key, { contentType: FHIR_JSON })).split(
        '.',
      );
      expect(encryptedKey).toBe('');
      ivs.add(iv ?? '');
    }
    expect(ivs.size).toBe(20);
    for (const iv of ivs) expect(decodeBase64url(iv)).toHaveLength(12);
  });

  it('refuses an empty content type', async () => {
    await expectCode(encryptFile('{}', generateShlKey(), { contentType: ' ' }), 'SHL_INVALID_CONTENT_TYPE');
  });

  it('writes a JWE that node:crypto and node:zlib alone can open (AES-256-GCM, raw DEFLATE)', async () => {
    const key = generateShlKey();
    const text = readSample('ips/IPS_IG_bundle-minimal.json');
    const jwe = await encryptFile(text, key, { contentType: FHIR_JSON, compress: true });
    const [header = '', , iv = '', ciphertext = '', tag = ''] = jwe.split('.');
    // RFC 7516 5.2: the additional authenticated data is the ASCII of the encoded protected header.
    const decipher = createDecipheriv('aes-256-gcm', decodeBase64url(key), decodeBase64url(iv));
    decipher.setAAD(Buffer.from(header, 'ascii'));
    decipher.setAuthTag(decodeBase64url(tag));
    const deflated = Buffer.concat([decipher.update(decodeBase64url(ciphertext)), decipher.final()]);
    expect(inflateRawSync(deflated).toString('utf8')).toBe(text);
  });

  it.each(ipsSampleNames())('round-trips %s with and without compression', async (name) => {
    const text = readSample(`ips/${name}`);
    const key = generateShlKey();
    for (const compress of [false, true]) {
      const jwe = await encryptFile(text, key, { contentType: FHIR_JSON, compress });
      expect((await decryptFile(jwe, key)).text()).toBe(text);
    }
  });
});
