import { decodeBase64url, fromUtf8, isBase64url, type ShlContentType, toShlContentType } from '@shlkit/core';
import { ServerError } from '../errors.js';

const invalid = (message: string, field: string) => new ServerError('SHL_INVALID_JWE', message, { field });

/**
 * A pre-encrypted file must be what SHL receivers can open: a compact JWE (5 parts) whose protected header
 * says `alg: dir`, `enc: A256GCM` and a `cty` matching the file's content type, with an empty encrypted-key part, a 96-bit IV and a 128-bit tag.
 * The server cannot decrypt it (it never had the key), so this is the whole check.
 */
export const checkCompactJwe = (jwe: string, field: string, contentType: ShlContentType): void => {
  const parts = jwe.trim().split('.');
  if (parts.length !== 5) {
    throw invalid(`jwe must be a compact JWE of 5 dot-separated parts, got ${parts.length}`, field);
  }
  const [header, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (!parts.every(isBase64url)) throw invalid('jwe parts must be base64url', field);
  let protectedHeader: unknown;
  try {
    protectedHeader = JSON.parse(fromUtf8(decodeBase64url(header)));
  } catch {
    throw invalid('the JWE protected header is not base64url JSON', field);
  }
  const record = (protectedHeader ?? {}) as Record<string, unknown>;
  if (record.alg !== 'dir' || record.enc !== 'A256GCM') {
    throw invalid(
      `SHL files use alg "dir" with enc "A256GCM", not ${String(record.alg)} / ${String(record.enc)}`,
      field,
    );
  }
  if (record.zip !== undefined && record.zip !== 'DEF') throw invalid('zip may only be "DEF"', field);
  // SHL: every file names its content type in `cty`, and receivers fall back on it: it must agree.
  if (typeof record.cty !== 'string') throw invalid('the JWE protected header needs cty', field);
  if (toShlContentType(record.cty) !== contentType) {
    throw invalid(`the JWE says cty "${record.cty}" but the file is ${contentType}`, field);
  }
  if (encryptedKey !== '') throw invalid('with alg "dir" the encrypted-key part is empty', field);
  if (decodeBase64url(iv).length !== 12) throw invalid('the IV must be 96 bits', field);
  if (decodeBase64url(tag).length !== 16) throw invalid('the authentication tag must be 128 bits', field);
  if (ciphertext === '') throw invalid('the ciphertext is empty', field);
};
