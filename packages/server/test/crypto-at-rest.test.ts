import { randomBytes } from 'node:crypto';
import { decodeBase64url } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isServerError } from '../src/errors.js';
import { createKeyWrapper } from '../src/key-wrapping/key-wrapper.js';
import { hashSecret, verifySecret } from '../src/passcodes/scrypt-hash.js';
import { cryptoRandom } from '../src/random.js';
import { testDatabases } from './support/databases.js';
import { AUTH, countRows, startTestApp, type TestApp } from './support/test-app.js';

const kek = () => new Uint8Array(randomBytes(32));

describe('key wrapping', () => {
  it('unwraps what it wrapped, for the same link only', () => {
    const wrapper = createKeyWrapper(kek(), cryptoRandom);
    const key = new Uint8Array(randomBytes(32));
    const wrapped = wrapper.wrap('link-a', key);
    expect(wrapper.unwrap('link-a', wrapped)).toEqual(key);
    expect(() => wrapper.unwrap('link-b', wrapped)).toThrow(
      expect.objectContaining({ code: 'SHL_KEY_UNWRAP_FAILED' }),
    );
  });

  it('names the problem when another key-encryption key is in use', () => {
    const wrapped = createKeyWrapper(kek(), cryptoRandom).wrap('l', new Uint8Array(32));
    try {
      createKeyWrapper(kek(), cryptoRandom).unwrap('l', wrapped);
      throw new Error('expected an error');
    } catch (error) {
      expect(isServerError(error, 'SHL_KEY_UNWRAP_FAILED')).toBe(true);
      expect((error as Error).message).toContain('SHL_KEY_ENCRYPTION_KEY');
    }
  });
});

describe('key wrapping refuses what it did not write', () => {
  const unwrapFails = (wrapper: ReturnType<typeof createKeyWrapper>, wrapped: string) =>
    expect(() => wrapper.unwrap('l', wrapped)).toThrow(
      expect.objectContaining({ code: 'SHL_KEY_UNWRAP_FAILED' }),
    );

  it.each([
    ['another version', (parts: string[]) => ['v2', ...parts.slice(1)].join('.')],
    ['no body', (parts: string[]) => parts.slice(0, 3).join('.')],
    ['no iv and no body', (parts: string[]) => parts.slice(0, 2).join('.')],
    ['a bare version', (parts: string[]) => parts.slice(0, 1).join('.')],
  ])('a wrapped key with %s', (_name, malform) => {
    const wrapper = createKeyWrapper(kek(), cryptoRandom);
    unwrapFails(wrapper, malform(wrapper.wrap('l', new Uint8Array(randomBytes(32))).split('.')));
  });

  it('a key-encryption key that is not 32 bytes is refused as a configuration error', () => {
    for (const length of [16, 31, 33]) {
      expect(() => createKeyWrapper(new Uint8Array(length), cryptoRandom), String(length)).toThrow(
        expect.objectContaining({ code: 'SHL_CONFIG_INVALID', field: 'SHL_KEY_ENCRYPTION_KEY' }),
      );
    }
    expect(() => createKeyWrapper({ current: kek(), previous: [new Uint8Array(31)] }, cryptoRandom)).toThrow(
      expect.objectContaining({ code: 'SHL_CONFIG_INVALID', field: 'SHL_KEY_ENCRYPTION_KEY' }),
    );
  });
});

describe('passcode hashing', () => {
  it('verifies the right passcode only, with a fresh salt each time', async () => {
    const a = await hashSecret('1234', cryptoRandom);
    const b = await hashSecret('1234', cryptoRandom);
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifySecret('1234', a)).toBe(true);
    expect(await verifySecret('12345', a)).toBe(false);
    expect(await verifySecret('1234', 'garbage')).toBe(false);
  });
});

describe.each(testDatabases())('nothing secret in plain text in the database on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  it('stores the link key only wrapped and the passcode only hashed', async () => {
    const link = (
      await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: {
          content: { resourceType: 'Patient', name: [{ family: 'Secretson' }] },
          passcode: 'open sesame',
        },
      })
    ).json();
    const dump = JSON.stringify([
      await t.db.selectFrom('shl_links').selectAll().execute(),
      await t.db.selectFrom('shl_passcodes').selectAll().execute(),
      await t.db.selectFrom('shl_files').selectAll().execute(),
    ]);
    expect(dump).not.toContain(link.payload.key);
    expect(dump).not.toContain('open sesame');
    expect(dump).not.toContain('Secretson');
  });

  it('wraps each link key under the real key-encryption key, and no encoding of a key or plaintext is in any table', async () => {
    const created: { id: string; key: Uint8Array }[] = [];
    for (const name of ['Keysafe', 'Vaultman', 'Lockwood']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: { resourceType: 'Patient', name: [{ family: name }] }, passcode: `pass ${name}` },
      });
      expect(res.statusCode).toBe(201);
      const link = res.json() as { id: string; payload: { key: string } };
      created.push({ id: link.id, key: decodeBase64url(link.payload.key) });
    }
    // The stored key unwraps with this server's KEK (and only with it) to the key the link carries.
    const wrapper = createKeyWrapper(t.keyEncryptionKey, cryptoRandom);
    const stranger = createKeyWrapper(kek(), cryptoRandom);
    for (const { id, key } of created) {
      const row = await t.db
        .selectFrom('shl_links')
        .select('wrapped_key')
        .where('id', '=', id)
        .executeTakeFirst();
      const wrapped = row?.wrapped_key ?? '';
      expect(wrapper.unwrap(id, wrapped)).toEqual(key);
      expect(() => stranger.unwrap(id, wrapped)).toThrow(
        expect.objectContaining({ code: 'SHL_KEY_UNWRAP_FAILED' }),
      );
    }
    const secrets = [
      ...created.map(({ key }) => Buffer.from(key)),
      ...['Keysafe', 'Vaultman', 'Lockwood', 'pass Keysafe'].map((text) => Buffer.from(text, 'utf8')),
    ];
    const haystack = await everyStoredValue(t);
    // The search itself works: what is stored in the clear (the link ids) is found.
    expect(created.every(({ id }) => haystack.text.includes(id))).toBe(true);
    for (const secret of secrets) {
      for (const encoded of encodingsOf(secret)) {
        expect(haystack.text.includes(encoded), `found ${encoded}`).toBe(false);
      }
      expect(haystack.bytes.some((bytes) => bytes.includes(secret))).toBe(false);
    }
  });

  it('draws a fresh IV for every file JWE and wrapped key, across app restarts (no per-process counter)', async () => {
    // Each restart loads every module afresh, as a new process would: a counter would start over.
    for (let restart = 0; restart < 2; restart++) {
      vi.resetModules();
      const { createApp } = await import('../src/app.js');
      const { app } = await createApp({
        config: t.config,
        db: t.db,
        clock: t.clock,
        keyEncryptionKey: t.keyEncryptionKey,
      });
      for (let i = 0; i < 15; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/links',
          headers: AUTH,
          payload: {
            files: [
              { contentType: 'application/fhir+json', content: { resourceType: 'Patient', id: `a${i}` } },
              { contentType: 'application/fhir+json', content: { resourceType: 'Patient', id: `b${i}` } },
            ],
          },
        });
        expect(res.statusCode).toBe(201);
      }
      await app.close();
    }
    const files = await t.db.selectFrom('shl_files').select('jwe').execute();
    const fileIvs = files.map((file) => file.jwe.split('.')[2] ?? '');
    expect(fileIvs.length).toBeGreaterThanOrEqual(60);
    expect(fileIvs.every((iv) => decodeBase64url(iv).length === 12)).toBe(true);
    expect(new Set(fileIvs).size).toBe(fileIvs.length);
    const links = await t.db.selectFrom('shl_links').select('wrapped_key').execute();
    const keyIvs = links.flatMap((link) =>
      link.wrapped_key === null ? [] : [link.wrapped_key.split('.')[2]],
    );
    expect(keyIvs.length).toBeGreaterThanOrEqual(30);
    expect(new Set(keyIvs).size).toBe(keyIvs.length);
  });
});

/** A secret as it might be stored by mistake: base64url, base64 (at every byte alignment), hex, latin1. */
const encodingsOf = (secret: Buffer): string[] => {
  const aligned = [0, 1, 2].flatMap((offset) => {
    const padded = Buffer.concat([Buffer.alloc(offset), secret]);
    // Only the characters that depend on the secret's bytes alone; drop the last two (padding, mixing).
    const from = Math.ceil((offset * 4) / 3);
    return [padded.toString('base64'), padded.toString('base64url')].map((text) => text.slice(from, -2));
  });
  return [
    ...aligned,
    secret.toString('hex'),
    secret.toString('hex').toUpperCase(),
    secret.toString('latin1'),
  ];
};

/** Every value in every table, as one text and the list of byte columns. */
const everyStoredValue = async (t: TestApp): Promise<{ text: string; bytes: Buffer[] }> => {
  const texts: string[] = [];
  const bytes: Buffer[] = [];
  for (const table of Object.keys(await countRows(t.db))) {
    const rows = await t.db
      .selectFrom(table as 'shl_links')
      .selectAll()
      .execute();
    for (const row of rows) {
      for (const value of Object.values(row as Record<string, unknown>)) {
        if (value instanceof Uint8Array) bytes.push(Buffer.from(value));
        else if (value !== null && value !== undefined) {
          const text =
            typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : String(value);
          texts.push(text);
          bytes.push(Buffer.from(text, 'utf8'));
        }
      }
    }
  }
  return { text: texts.join('\n'), bytes };
};
