import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isServerError } from '../src/errors.js';
import { createKeyWrapper } from '../src/key-wrapping/key-wrapper.js';
import { hashSecret, verifySecret } from '../src/passcodes/scrypt-hash.js';
import { cryptoRandom } from '../src/random.js';
import { testDatabases } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

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
});
