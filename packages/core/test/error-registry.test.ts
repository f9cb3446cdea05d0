import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ERROR_CODES,
  type ErrorCode,
  httpStatusOf,
  isErrorCode,
  isShlError,
  isShlkitError,
  isWireErrorCode,
  type PublicErrorCode,
  ShlError,
  type ShlErrorCode,
  ShlkitError,
  type WireErrorCode,
} from '../src/index.js';

/**
 * Every code that existed before the registry. Codes are a contract (scripts, the viewer and other SHL
 * software switch on them): this list only ever grows.
 */
const CONTRACT_CODES = [
  'SHL_INVALID_LINK',
  'SHL_INVALID_PAYLOAD',
  'SHL_INVALID_URL',
  'SHL_URL_TOO_LONG',
  'SHL_INVALID_KEY',
  'SHL_INVALID_EXP',
  'SHL_INVALID_FLAG',
  'SHL_FLAG_CONFLICT',
  'SHL_INVALID_LABEL',
  'SHL_LABEL_TOO_LONG',
  'SHL_INVALID_VERSION',
  'SHL_UNSUPPORTED_VERSION',
  'SHL_INVALID_JWE',
  'SHL_DECRYPT_FAILED',
  'SHL_DECOMPRESSED_TOO_LARGE',
  'SHL_INVALID_CONTENT_TYPE',
  'SHL_INVALID_CONTENT',
  'SHL_INVALID_MANIFEST',
  'SHL_INVALID_MANIFEST_REQUEST',
  'SHL_INVALID_SHC',
  'SHL_NOT_FOUND',
  'SHL_WRONG_PASSCODE',
  'SHL_PASSCODE_REQUIRED',
  'SHL_RATE_LIMITED',
  'SHL_NETWORK_ERROR',
  'SHL_INVALID_RESPONSE',
  'SHL_BLOCKED_ADDRESS',
  'SHL_RESPONSE_TOO_LARGE',
  'SHL_INVALID_OPTIONS',
  'SHL_CONFIG_INVALID',
  'SHL_VALIDATION_FAILED',
  'SHL_INVALID_JSON',
  'SHL_INVALID_EXPIRY',
  'SHL_INVALID_PASSCODE',
  'SHL_INVALID_CURSOR',
  'SHL_UNSUPPORTED_MEDIA_TYPE',
  'SHL_BODY_TOO_LARGE',
  'SHL_UNAUTHORIZED',
  'SHL_NOT_LONG_TERM',
  'SHL_LINK_REVOKED',
  'SHL_ZERO_KNOWLEDGE',
  'SHL_USERNAME_TAKEN',
  'SHL_KEY_UNWRAP_FAILED',
  'SHL_VIEWER_NOT_BUILT',
  'SHL_INTERNAL',
  'CLI_USAGE',
  'CLI_CONFIG',
  'CLI_FILE_NOT_FOUND',
  'CLI_FILE_UNREADABLE',
  'CLI_FILE_UNWRITABLE',
  'CLI_INVALID_FILE',
  'CLI_API_ERROR',
  'CLI_API_UNAUTHORIZED',
  'CLI_NOT_FOUND',
  'CLI_NETWORK_ERROR',
  'CLI_INVALID_LINK',
  'CLI_INTERNAL',
] as const satisfies readonly ErrorCode[];

/**
 * The status each code answered with before the registry. The registry may add codes, never move one:
 * a client that branches on the status must keep working.
 */
const CONTRACT_STATUSES: Partial<Record<ErrorCode, number>> = {
  SHL_VALIDATION_FAILED: 400,
  SHL_INVALID_JSON: 400,
  SHL_INVALID_CONTENT: 400,
  SHL_INVALID_CONTENT_TYPE: 400,
  SHL_INVALID_JWE: 400,
  SHL_INVALID_LABEL: 400,
  SHL_INVALID_EXPIRY: 400,
  SHL_INVALID_PASSCODE: 400,
  SHL_FLAG_CONFLICT: 400,
  SHL_INVALID_MANIFEST_REQUEST: 400,
  SHL_INVALID_CURSOR: 400,
  SHL_UNSUPPORTED_MEDIA_TYPE: 415,
  SHL_BODY_TOO_LARGE: 413,
  SHL_UNAUTHORIZED: 401,
  SHL_WRONG_PASSCODE: 401,
  SHL_PASSCODE_REQUIRED: 401,
  SHL_NOT_FOUND: 404,
  SHL_RATE_LIMITED: 429,
  SHL_NOT_LONG_TERM: 409,
  SHL_LINK_REVOKED: 409,
  SHL_ZERO_KNOWLEDGE: 409,
  SHL_USERNAME_TAKEN: 409,
  SHL_KEY_UNWRAP_FAILED: 500,
  SHL_VIEWER_NOT_BUILT: 503,
  SHL_INTERNAL: 500,
};

const entries = Object.entries(ERROR_CODES) as [ErrorCode, (typeof ERROR_CODES)[ErrorCode]][];

describe('the error registry', () => {
  it('keeps every code that existed before it, spelled the same', () => {
    for (const code of CONTRACT_CODES) expect(isErrorCode(code), code).toBe(true);
  });

  it('keeps the HTTP status of every code that had one', () => {
    for (const [code, status] of Object.entries(CONTRACT_STATUSES)) {
      expect(httpStatusOf(code as ErrorCode), code).toBe(status);
    }
  });

  it('names every code SHL_* or CLI_* in capitals', () => {
    for (const [code] of entries) expect(code).toMatch(/^(SHL|CLI)_[A-Z0-9]+(_[A-Z0-9]+)*$/);
  });

  it('gives a 4xx or 5xx status to every wire code and none to a local one', () => {
    for (const [code, entry] of entries) {
      if (entry.audience === 'local') expect(httpStatusOf(code), code).toBeUndefined();
      else
        expect(httpStatusOf(code), code).toSatisfy((s: number) => Number.isInteger(s) && s >= 400 && s < 600);
    }
  });

  it('keeps CLI codes local to the CLI', () => {
    for (const [code, entry] of entries.filter(([code]) => code.startsWith('CLI_'))) {
      expect(entry.audience, code).toBe('local');
      expect(entry.raisedBy, code).toEqual(['cli']);
    }
  });

  it('says who raises every code and what it means', () => {
    for (const [code, entry] of entries) {
      expect(entry.raisedBy.length, code).toBeGreaterThan(0);
      expect(entry.description.length, code).toBeGreaterThan(10);
    }
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(ERROR_CODES)).toBe(true);
    expect(Object.isFrozen(ERROR_CODES.SHL_NOT_FOUND)).toBe(true);
    expect(Object.isFrozen(ERROR_CODES.SHL_NOT_FOUND.raisedBy)).toBe(true);
  });

  it('tells codes from other strings', () => {
    expect(isErrorCode('SHL_NOT_FOUND')).toBe(true);
    expect(isErrorCode('SHL_NOPE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
    expect(isWireErrorCode('SHL_NOT_FOUND')).toBe(true);
    expect(isWireErrorCode('SHL_DECRYPT_FAILED')).toBe(false);
  });

  it('holds every code the packages throw or send', () => {
    // The closed unions make an unknown code a compile error; this also catches one that slips past the
    // types (a cast, a plain object with a `code`, a JavaScript file).
    const packages = fileURLToPath(new URL('../../', import.meta.url));
    const sources = readdirSync(packages, { recursive: true, encoding: 'utf8' }).filter(
      (path) => /^[^/]+\/src\/.*\.tsx?$/.test(path) && !path.includes('node_modules'),
    );
    const used =
      /new (?:ShlError|ShlClientError|ServerError|CliError)\(\s*'([A-Z0-9_]+)'|\bcode: '((?:SHL|CLI)_[A-Z0-9_]+)'/g;
    const unknown: string[] = [];
    for (const path of sources) {
      for (const match of readFileSync(`${packages}${path}`, 'utf8').matchAll(used)) {
        const code = match[1] ?? match[2];
        if (!isErrorCode(code)) unknown.push(`${path}: ${code}`);
      }
    }
    expect(sources.length).toBeGreaterThan(50);
    expect(unknown).toEqual([]);
  });

  it('derives closed unions: no string outside the table is a code', () => {
    expectTypeOf<'SHL_NOPE'>().not.toExtend<ErrorCode>();
    expectTypeOf<string>().not.toExtend<ErrorCode>();
    expectTypeOf<'SHL_INVALID_LINK'>().toExtend<ShlErrorCode>();
    expectTypeOf<'SHL_NETWORK_ERROR'>().not.toExtend<ShlErrorCode>();
    expectTypeOf<'SHL_NOT_FOUND'>().toExtend<PublicErrorCode>();
    expectTypeOf<'SHL_UNAUTHORIZED'>().not.toExtend<PublicErrorCode>();
    expectTypeOf<'SHL_UNAUTHORIZED'>().toExtend<WireErrorCode>();
    expectTypeOf<'SHL_DECRYPT_FAILED'>().not.toExtend<WireErrorCode>();
    // @ts-expect-error: a code that is not in the registry does not compile
    new ShlError('SHL_NOT_A_CODE', 'x');
  });
});

describe('ShlError', () => {
  it('is a ShlkitError with its code and field', () => {
    const error = new ShlError('SHL_INVALID_KEY', 'bad key', { field: 'key' });
    expect(error).toBeInstanceOf(ShlkitError);
    expect(isShlkitError(error)).toBe(true);
    expect(isShlError(error, 'SHL_INVALID_KEY')).toBe(true);
    expect(isShlError(error, 'SHL_INVALID_LINK')).toBe(false);
    expect(error).toMatchObject({ name: 'ShlError', code: 'SHL_INVALID_KEY', field: 'key' });
  });

  it('keeps its cause', () => {
    const cause = new Error('inner');
    expect(new ShlError('SHL_INVALID_JWE', 'x', { cause }).cause).toBe(cause);
    expect('cause' in new ShlError('SHL_INVALID_JWE', 'x')).toBe(false);
  });
});
