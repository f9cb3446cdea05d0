import {
  encryptFile,
  FHIR_JSON,
  FHIR_JSON_R4,
  type ShlContentType,
  SMART_API_ACCESS,
  SMART_HEALTH_CARD,
  toShlContentType,
} from '@shlkit/core';
import { ServerError } from '../errors.js';
import { checkCompactJwe } from './check-jwe.js';

/** What a create or replace request may carry: `content` (one FHIR resource) or `files`. */
export interface ContentInput {
  content?: string | object | undefined;
  files?: FileInput[] | undefined;
}

export type FileInput =
  { contentType: string; content: string | object } | { contentType: string; jwe: string };

export interface PreparedFile {
  /** As the manifest lists it. */
  contentType: string;
  jwe: string;
}

export interface PrepareOptions {
  /** List FHIR as `application/fhir+json;fhirVersion=4.0.1` (true) or bare (false). */
  fhirContentTypeParam: boolean;
  /**
   * Raw-DEFLATE before encrypting (`zip: DEF`). SHL lets senders compress, but jose 5 and at least one
   * deployed scanner cannot inflate, so servers leave it off unless the operator opts in.
   */
  compressFiles: boolean;
}

const bad = (
  code: 'SHL_VALIDATION_FAILED' | 'SHL_INVALID_CONTENT' | 'SHL_INVALID_CONTENT_TYPE',
  message: string,
  field: string,
) => new ServerError(code, message, { field });

/** The input as a list of files, whether it came as `content` or `files`. */
export const toFileInputs = (input: ContentInput): FileInput[] => {
  if (input.content !== undefined && input.files !== undefined) {
    throw bad('SHL_VALIDATION_FAILED', 'give either content or files, not both', 'content');
  }
  if (input.content !== undefined) return [{ contentType: FHIR_JSON, content: input.content }];
  if (input.files !== undefined && input.files.length > 0) return input.files;
  throw bad('SHL_VALIDATION_FAILED', 'give content (one FHIR resource) or files (at least one)', 'content');
};

/** True when every file came encrypted by the caller, false when none did; mixing is refused. */
export const isPreEncrypted = (files: FileInput[]): boolean => {
  const encrypted = files.filter((file) => 'jwe' in file).length;
  if (encrypted !== 0 && encrypted !== files.length) {
    throw bad(
      'SHL_VALIDATION_FAILED',
      'either every file is pre-encrypted (jwe) or none is (content): the caller keeps the key of an encrypted link',
      'files',
    );
  }
  return encrypted > 0;
};

const shlType = (contentType: string, field: string): ShlContentType => {
  const type = toShlContentType(contentType);
  if (type === undefined) {
    throw bad(
      'SHL_INVALID_CONTENT_TYPE',
      `contentType must be ${FHIR_JSON}, ${SMART_HEALTH_CARD} or ${SMART_API_ACCESS}, not "${contentType}"`,
      field,
    );
  }
  return type;
};

const manifestType = (type: ShlContentType, given: string, options: PrepareOptions): string => {
  if (type !== FHIR_JSON) return type;
  if (!options.fhirContentTypeParam) return FHIR_JSON;
  // A caller naming another FHIR version keeps it; otherwise SHL's SHOULD: add fhirVersion=4.0.1.
  return given.includes(';') ? given.trim() : FHIR_JSON_R4;
};

/** The JSON text to encrypt: a string is kept byte for byte (after checking it is JSON), an object is minified. */
const jsonText = (content: string | object, type: ShlContentType, field: string): string => {
  let value: unknown = content;
  if (typeof content === 'string') {
    try {
      value = JSON.parse(content);
    } catch {
      throw bad('SHL_INVALID_CONTENT', 'content is a string but not JSON text', field);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad('SHL_INVALID_CONTENT', 'content must be a JSON object', field);
  }
  const record = value as Record<string, unknown>;
  const shapeOk =
    type === FHIR_JSON
      ? typeof record.resourceType === 'string'
      : type === SMART_HEALTH_CARD
        ? Array.isArray(record.verifiableCredential) &&
          record.verifiableCredential.every((jws) => typeof jws === 'string')
        : typeof record.access_token === 'string' && typeof record.aud === 'string';
  if (!shapeOk) {
    const expected =
      type === FHIR_JSON
        ? 'a FHIR resource (with resourceType)'
        : type === SMART_HEALTH_CARD
          ? 'a {"verifiableCredential": [JWS, ...]} object'
          : 'a SMART access-token response with access_token and aud';
    throw bad('SHL_INVALID_CONTENT', `content of type ${type} must be ${expected}`, field);
  }
  return typeof content === 'string' ? content : JSON.stringify(content);
};

/**
 * Checks and encrypts the files of a request. With a key, plain files are encrypted (`zip: DEF` only when
 * `compressFiles` is on) and pre-encrypted ones pass as they are; without one (a zero-knowledge link) only
 * pre-encrypted files are accepted.
 */
export const prepareFiles = async (
  inputs: FileInput[],
  key: Uint8Array | null,
  options: PrepareOptions,
): Promise<PreparedFile[]> => {
  type Checked = { contentType: string; type: ShlContentType } & ({ jwe: string } | { text: string });
  const checked = inputs.map((input, index): Checked => {
    const field = `files[${index}]`;
    const type = shlType(input.contentType, `${field}.contentType`);
    const contentType = manifestType(type, input.contentType, options);
    if ('jwe' in input) {
      checkCompactJwe(input.jwe, `${field}.jwe`, type);
      return { contentType, type, jwe: input.jwe.trim() };
    }
    return { contentType, type, text: jsonText(input.content, type, `${field}.content`) };
  });
  return Promise.all(
    checked.map(async (file): Promise<PreparedFile> => {
      if ('jwe' in file) return { contentType: file.contentType, jwe: file.jwe };
      if (key === null) {
        throw new ServerError(
          'SHL_ZERO_KNOWLEDGE',
          'this link was created pre-encrypted: the server has no key, so send files as jwe',
          { field: 'files' },
        );
      }
      // SHL: cty names the content type; the bare type, since the manifest carries any parameter.
      const jwe = await encryptFile(file.text, key, {
        contentType: file.type,
        compress: options.compressFiles,
      });
      return { contentType: file.contentType, jwe };
    }),
  );
};
