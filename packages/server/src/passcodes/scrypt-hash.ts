import { scrypt, timingSafeEqual } from 'node:crypto';
import { decodeBase64url, encodeBase64url } from '@shlkit/core';
import type { Random } from '../random.js';

/**
 * Passcodes and admin passwords are stored only as a salted scrypt hash (our decision, protocol digest
 * section 5). The cost is fixed at N=2^14, r=8, p=1 (OWASP's minimum for scrypt) and is written into every
 * hash, so a later release can raise it without breaking stored hashes. There is deliberately no setting
 * to lower it, for tests or otherwise: 50 parallel checks take well under a second on two cores.
 */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

const derive = (secret: string, salt: Uint8Array, n: number, r: number, p: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(
      secret.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { N: n, r, p, maxmem: 64 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });

/** `scrypt$N$r$p$salt$hash`, base64url parts. */
export const hashSecret = async (secret: string, random: Random): Promise<string> => {
  const salt = random(SALT_BYTES);
  const key = await derive(secret, salt, N, R, P);
  return ['scrypt', N, R, P, encodeBase64url(salt), encodeBase64url(key)].join('$');
};

/** Compares in constant time; a malformed stored hash never matches. */
export const verifySecret = async (secret: string, stored: string): Promise<boolean> => {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = decodeBase64url(hash);
  const actual = await derive(secret, decodeBase64url(salt), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
};
