import { decryptFile, detectContentType, isShlError } from '@shlkit/core';
import { ShlClientError } from '../errors.js';
import type { ResolvedFile } from './types.js';

export interface OpenFileInput {
  jwe: string;
  key: string;
  /** The manifest's content type, when there was a manifest. */
  contentType?: string;
  lastUpdated?: string;
  maxDecompressedLength?: number;
}

/**
 * Decrypts one received file and reads it as JSON (all three SHL content types are JSON). The type comes
 * from the manifest first, then the JWE `cty`, then the JSON's shape (SHL encryption section).
 */
export const openFile = async (input: OpenFileInput): Promise<ResolvedFile> => {
  const jwe = input.jwe.trim();
  let text: string;
  let cty: string | undefined;
  try {
    const decrypted = await decryptFile(jwe, input.key, {
      ...(input.maxDecompressedLength === undefined
        ? {}
        : { maxDecompressedLength: input.maxDecompressedLength }),
    });
    cty = decrypted.contentType;
    text = decrypted.text();
  } catch (cause) {
    if (isShlError(cause, 'SHL_DECOMPRESSED_TOO_LARGE')) {
      throw new ShlClientError('SHL_RESPONSE_TOO_LARGE', cause.message, { cause });
    }
    if (isShlError(cause, 'SHL_INVALID_CONTENT')) {
      throw new ShlClientError('SHL_INVALID_RESPONSE', cause.message, { cause });
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ShlClientError('SHL_DECRYPT_FAILED', message, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ShlClientError('SHL_INVALID_RESPONSE', 'the decrypted file is not JSON', { cause });
  }
  const contentType = input.contentType ?? cty ?? detectContentType(json) ?? 'application/json';
  const file: ResolvedFile = { contentType, json, text, jwe };
  if (input.lastUpdated !== undefined) file.lastUpdated = input.lastUpdated;
  return file;
};
