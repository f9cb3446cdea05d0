import { randomBytes } from 'node:crypto';
import { encodeBase64url } from '@shlkit/core';

/** A source of cryptographically random bytes, passed in so that nothing imports a global by surprise. */
export type Random = (bytes: number) => Uint8Array;

export const cryptoRandom: Random = (bytes) => new Uint8Array(randomBytes(bytes));

/** `bytes` random bytes as base64url: 32 bytes give the 256-bit, 43-character ids SHL asks for. */
export const randomToken = (random: Random, bytes = 32): string => encodeBase64url(random(bytes));
