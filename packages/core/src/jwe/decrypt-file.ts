import { compactDecrypt, decodeProtectedHeader, errors } from 'jose';
import { fromUtf8 } from '../encoding/base64url.js';
import { ShlError } from '../errors/shl-error.js';
import { toKeyBytes } from './key.js';

/**
 * Default cap on inflated `zip: DEF` plaintext: 16 MiB holds the 1.8 MB IPS sample many times over, yet
 * stops a zip bomb long before it fills memory (jose's own default, 250 kB, is too small for real IPS).
 */
export const DEFAULT_MAX_DECOMPRESSED_LENGTH = 16 * 1024 * 1024;

export interface DecryptFileOptions {
  maxDecompressedLength?: number;
}

export interface DecryptedFile {
  plaintext: Uint8Array;
  /** The `cty` header, when the sender set one. */
  contentType: string | undefined;
  /** The plaintext as UTF-8 text; malformed UTF-8 throws `SHL_INVALID_CONTENT`. */
  text(): string;
}

/**
 * Decrypts one SHL file (compact JWE, `dir` + `A256GCM`, optional `zip: DEF`) with the link key.
 * Spec: SHL STU 1, file encryption (docs/shl-protocol.md section 4, "Encryption").
 *
 * @param jwe - the compact JWE, as `embedded`, a `location` body or a direct file (white space around it
 *   is ignored)
 * @param key - the link key: 43 base64url characters or 32 bytes
 * @param options - `maxDecompressedLength`: the most bytes a `zip: DEF` file may inflate to, default
 *   `DEFAULT_MAX_DECOMPRESSED_LENGTH` (16 MiB)
 * @returns the plaintext bytes, the `cty` header, and `text()` for the plaintext as UTF-8
 * @throws {ShlError} `SHL_INVALID_KEY` for a key of the wrong length; `SHL_INVALID_JWE` for a JWS, a text
 *   that is not 5 parts, an unreadable header or an algorithm other than `dir`/`A256GCM`;
 *   `SHL_DECOMPRESSED_TOO_LARGE` past the inflate limit; `SHL_DECRYPT_FAILED` when the key does not open it
 *   (or jose refuses it otherwise). `text()` throws `SHL_INVALID_CONTENT` for malformed UTF-8.
 */
export const decryptFile = async (
  jwe: string,
  key: string | Uint8Array,
  options: DecryptFileOptions = {},
): Promise<DecryptedFile> => {
  const compact = jwe.trim();
  const parts = compact.split('.');
  if (parts.length === 3) {
    throw new ShlError(
      'SHL_INVALID_JWE',
      'the file is a signed JWS (3 parts), not an encrypted JWE (5 parts)',
    );
  }
  if (parts.length !== 5) {
    throw new ShlError(
      'SHL_INVALID_JWE',
      `the file is not a compact JWE (5 dot-separated parts, got ${parts.length})`,
    );
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(compact);
  } catch (cause) {
    throw new ShlError('SHL_INVALID_JWE', 'the JWE protected header is not base64url JSON', { cause });
  }
  if (header.alg !== 'dir' || header.enc !== 'A256GCM') {
    throw new ShlError(
      'SHL_INVALID_JWE',
      `SHL files use alg "dir" with enc "A256GCM", not ${String(header.alg)} / ${String(header.enc)}`,
    );
  }
  const keyBytes = toKeyBytes(key);
  try {
    const { plaintext } = await compactDecrypt(compact, keyBytes, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      maxDecompressedLength: options.maxDecompressedLength ?? DEFAULT_MAX_DECOMPRESSED_LENGTH,
    });
    const contentType = typeof header.cty === 'string' ? header.cty : undefined;
    return {
      plaintext,
      contentType,
      text: () => {
        try {
          return fromUtf8(plaintext);
        } catch (cause) {
          throw new ShlError('SHL_INVALID_CONTENT', 'the decrypted file is not UTF-8 text', { cause });
        }
      },
    };
  } catch (cause) {
    if (cause instanceof errors.JWEInvalid && /exceeded the configured limit/.test(cause.message)) {
      throw new ShlError('SHL_DECOMPRESSED_TOO_LARGE', 'the file inflates past the allowed size', { cause });
    }
    if (cause instanceof errors.JWEDecryptionFailed) {
      throw new ShlError('SHL_DECRYPT_FAILED', 'the file does not decrypt with this link key', { cause });
    }
    throw new ShlError('SHL_DECRYPT_FAILED', `the file could not be decrypted: ${(cause as Error).message}`, {
      cause,
    });
  }
};
