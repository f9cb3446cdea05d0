import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { decodeBase64url, encodeBase64url } from '@shlkit/core';
import { ServerError } from '../errors.js';
import type { Random } from '../random.js';

/**
 * Link keys are kept only wrapped under the server's key-encryption key (KEK): AES-256-GCM with a fresh IV
 * and the link id as additional data, so a wrapped key copied onto another link does not unwrap. The
 * format `v1.<kek id>.<iv>.<ciphertext+tag>` names the KEK by its id (`kekId`), so that a server holding
 * several KEKs during a rotation picks the right one, `shlkit rotate-kek` finds the rows still under an old
 * one, and a server started with the wrong KEK says so instead of failing obscurely.
 */
export interface KeyWrapper {
  /** Wraps under the current KEK. */
  wrap(linkId: string, key: Uint8Array): string;
  /** @throws ServerError `SHL_KEY_UNWRAP_FAILED` when no KEK of the ring has the id, or the bytes are not ours. */
  unwrap(linkId: string, wrapped: string): Uint8Array;
  /** The id of the current KEK (the one `wrap` uses). */
  readonly currentKekId: string;
}

/**
 * The KEKs a server holds: `current` wraps and unwraps; `previous` only unwrap (rows not yet re-wrapped by
 * `shlkit rotate-kek`, or rows a newer process already wrapped during a rolling change). 32 bytes each.
 */
export interface KeyRing {
  current: Uint8Array;
  previous?: readonly Uint8Array[];
}

/** A KEK's id: the first 6 bytes of its SHA-256, base64url (8 characters). Reveals nothing usable of the key. */
export const kekId = (kek: Uint8Array): string =>
  encodeBase64url(createHash('sha256').update(kek).digest().subarray(0, 6));

/** The KEK id a wrapped key names (the second field of `v1.<kek id>.<iv>.<body>`), or undefined. */
export const wrappedKekId = (wrapped: string): string | undefined => {
  const [version, id] = wrapped.split('.');
  return version === 'v1' ? id : undefined;
};

const checkLength = (kek: Uint8Array): Uint8Array => {
  if (kek.length !== 32)
    throw new ServerError('SHL_CONFIG_INVALID', 'a key-encryption key must be 32 bytes', {
      field: 'SHL_KEY_ENCRYPTION_KEY',
    });
  return kek;
};

/** @throws ServerError `SHL_CONFIG_INVALID` when a KEK is not 32 bytes. */
export const createKeyWrapper = (ring: Uint8Array | KeyRing, random: Random): KeyWrapper => {
  const { current, previous = [] } = ring instanceof Uint8Array ? { current: ring } : ring;
  const byId = new Map<string, Uint8Array>();
  // The current key first: on an (astronomically unlikely) id collision it wins.
  for (const kek of [current, ...previous]) {
    const id = kekId(checkLength(kek));
    if (!byId.has(id)) byId.set(id, kek);
  }
  const currentKekId = kekId(current);
  return {
    currentKekId,
    wrap(linkId, key) {
      const iv = random(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(linkId, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(key), cipher.final(), cipher.getAuthTag()]);
      return ['v1', currentKekId, encodeBase64url(iv), encodeBase64url(ciphertext)].join('.');
    },
    unwrap(linkId, wrapped) {
      const [version, id, iv, body] = wrapped.split('.');
      if (version !== 'v1' || id === undefined || iv === undefined || body === undefined) {
        throw new ServerError('SHL_KEY_UNWRAP_FAILED', 'the stored link key has an unknown format');
      }
      const kek = byId.get(id);
      if (kek === undefined) {
        throw new ServerError(
          'SHL_KEY_UNWRAP_FAILED',
          `the link key was wrapped under another key-encryption key (id ${id}); this server has ${[...byId.keys()].join(', ')}: check SHL_KEY_ENCRYPTION_KEY, SHL_KEY_ENCRYPTION_KEY_PREVIOUS or DATA_DIR`,
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
