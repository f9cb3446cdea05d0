import { CompactEncrypt } from 'jose';
import { utf8 } from '../encoding/base64url.js';
import { ShlError } from '../errors/shl-error.js';
import { toKeyBytes } from './key.js';

export interface EncryptFileOptions {
  /** Written to the JWE `cty` header, always: receivers use it when the manifest does not say. */
  contentType: string;
  /** Raw-DEFLATE the plaintext first (`zip: DEF`). Worth it for FHIR JSON, which shrinks about tenfold. */
  compress?: boolean;
}

/**
 * Encrypts one SHL file: compact JWE, `alg: dir`, `enc: A256GCM`, the link key used directly. jose draws a
 * fresh random 96-bit IV on every call, which SHL requires for every encryption under the same key.
 * Spec: SHL STU 1, file encryption (docs/shl-protocol.md section 4, "Encryption").
 *
 * @param content - the file: text (encoded as UTF-8) or bytes
 * @param key - the link key: 43 base64url characters or 32 bytes
 * @param options - `contentType` for the `cty` header (required); `compress` to raw-DEFLATE first
 * @returns the compact JWE (5 base64url parts)
 * @throws {ShlError} `SHL_INVALID_CONTENT_TYPE` for an empty content type; `SHL_INVALID_KEY` (field `key`)
 *   for a key of the wrong length
 */
export const encryptFile = async (
  content: string | Uint8Array,
  key: string | Uint8Array,
  options: EncryptFileOptions,
): Promise<string> => {
  if (options.contentType.trim() === '') {
    throw new ShlError('SHL_INVALID_CONTENT_TYPE', 'a file needs a content type for its cty header');
  }
  const plaintext = typeof content === 'string' ? utf8(content) : content;
  const header = {
    alg: 'dir',
    enc: 'A256GCM',
    cty: options.contentType,
    ...(options.compress ? { zip: 'DEF' } : {}),
  };
  return new CompactEncrypt(plaintext).setProtectedHeader(header).encrypt(toKeyBytes(key));
};
