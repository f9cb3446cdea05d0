import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { decodeBase64url, encodeBase64url } from '@shlkit/core';
import { ServerError } from '../errors.js';
import type { Random } from '../random.js';

/**
 * Link keys are kept only wrapped under the server's key-encryption key (KEK): AES-256-GCM with a fresh IV
 * and the link id as additional data, so a wrapped key copied onto another link does not unwrap. The
 * format `v1.<kek id>.<iv>.<ciphertext+tag>` names the KEK by a short fingerprint, so a server started with
 * the wrong KEK says so instead of failing obscurely.
 */
export interface KeyWrapper {
  wrap(linkId: string, key: Uint8Array): string;
  unwrap(linkId: string, wrapped: string): Uint8Array;
}

const fingerprint = (kek: Uint8Array): string =>
  encodeBase64url(createHash('sha256').update(kek).digest().subarray(0, 6));

export const createKeyWrapper = (kek: Uint8Array, random: Random): KeyWrapper => {
  if (kek.length !== 32)
    throw new ServerError('SHL_CONFIG_INVALID', 'the key-encryption key must be 32 bytes');
  const kekId = fingerprint(kek);
  return {
    wrap(linkId, key) {
      const iv = random(12);
      const cipher = createCipheriv('aes-256-gcm', kek, iv);
      cipher.setAAD(Buffer.from(linkId, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(key), cipher.final(), cipher.getAuthTag()]);
      return ['v1', kekId, encodeBase64url(iv), encodeBase64url(ciphertext)].join('.');
    },
    unwrap(linkId, wrapped) {
      const [version, id, iv, body] = wrapped.split('.');
      if (version !== 'v1' || iv === undefined || body === undefined) {
        throw new ServerError('SHL_KEY_UNWRAP_FAILED', 'the stored link key has an unknown format');
      }
      if (id !== kekId) {
        throw new ServerError(
          'SHL_KEY_UNWRAP_FAILED',
          `the link key was wrapped under another key-encryption key (${id}); this server has ${kekId}: check SHL_KEY_ENCRYPTION_KEY or DATA_DIR`,
        );
      }
      const bytes = decodeBase64url(body);
      try {
        const decipher = createDecipheriv('aes-256-gcm', kek, decodeBase64url(iv));
        decipher.setAAD(Buffer.from(linkId, 'utf8'));
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        return new Uint8Array(
          Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]),
        );
      } catch (cause) {
        throw new ServerError('SHL_KEY_UNWRAP_FAILED', 'the stored link key does not unwrap', { cause });
      }
    },
  };
};
