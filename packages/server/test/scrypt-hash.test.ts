import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashSecret, verifySecret } from '../src/passcodes/scrypt-hash.js';
import { cryptoRandom } from '../src/random.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** How passcodes and passwords are stored and compared (src/passcodes/scrypt-hash.ts). */
describe('scrypt hashes of passcodes and passwords', () => {
  it('writes scrypt$N$r$p$salt$hash at N=2^14, r=8, p=1 with a 16-byte salt and a 32-byte key', async () => {
    const [scheme, n, r, p, salt = '', hash = ''] = (await hashSecret('pw', cryptoRandom)).split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(hash, 'base64url')).toHaveLength(32);
  });

  it('matches the secret it was made from and nothing else', async () => {
    const stored = await hashSecret('correct horse', cryptoRandom);
    expect(await verifySecret('correct horse', stored)).toBe(true);
    expect(await verifySecret('correct hors', stored)).toBe(false);
  });

  it('verifies a hash written at a higher cost, as a later release may write (N=2^15 needs 32 MiB)', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('pw', salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const stored = ['scrypt', 32768, 8, 1, b64(salt), b64(key)].join('$');
    expect(await verifySecret('pw', stored)).toBe(true);
  });

  it.each([
    ['another scheme', (parts: string[]) => ['bcrypt', ...parts.slice(1)].join('$')],
    ['no hash', (parts: string[]) => parts.slice(0, 5).join('$')],
    ['no salt and no hash', (parts: string[]) => parts.slice(0, 4).join('$')],
    [
      'a hash one byte short',
      (parts: string[]) =>
        [...parts.slice(0, 5), b64(Buffer.from(parts[5] ?? '', 'base64url').subarray(1))].join('$'),
    ],
  ])('never matches a malformed stored hash: %s', async (_name, malform) => {
    const parts = (await hashSecret('pw', cryptoRandom)).split('$');
    expect(await verifySecret('pw', malform(parts))).toBe(false);
  });
});
