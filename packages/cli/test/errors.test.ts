import { ShlClientError } from '@shlkit/client';
import { ERROR_CODES, type ErrorCode, ShlError, ShlkitError } from '@shlkit/core';
import { ServerError } from '@shlkit/server';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CliError, type CliErrorCode, EXIT_CODES, toCliError } from '../src/index.js';

const exitCodes = Object.values(EXIT_CODES) as number[];
const passedOn = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => !code.startsWith('CLI_'));

describe('CLI errors', () => {
  it('take only registry codes; the CLI makes the CLI_* ones', () => {
    expectTypeOf<CliErrorCode>().toEqualTypeOf<Extract<ErrorCode, `CLI_${string}`>>();
    expectTypeOf<CliError['code']>().toEqualTypeOf<ErrorCode>();
    // @ts-expect-error: a code that is not in the registry does not compile
    new CliError('CLI_NOT_A_CODE', EXIT_CODES.GENERIC, 'x');
  });

  it('pass on every code of core, the client and the server with an exit code', () => {
    for (const code of passedOn) {
      const error = toCliError(Object.assign(new Error('m'), { code }));
      expect(error.code, code).toBe(code);
      expect(exitCodes, code).toContain(error.exitCode);
      expect(error.exitCode, code).not.toBe(EXIT_CODES.OK);
    }
  });

  it.each([
    [new ShlClientError('SHL_NOT_FOUND', 'gone', { status: 404 }), EXIT_CODES.INACTIVE],
    [new ShlClientError('SHL_WRONG_PASSCODE', 'no', { remainingAttempts: 2 }), EXIT_CODES.PASSCODE],
    [new ShlClientError('SHL_RATE_LIMITED', 'wait', { retryAfter: 5 }), EXIT_CODES.NETWORK],
    [new ShlError('SHL_INVALID_KEY', 'bad key', { field: 'key' }), EXIT_CODES.FORMAT],
    [new ShlError('SHL_DECRYPT_FAILED', 'no'), EXIT_CODES.FORMAT],
    [new ServerError('SHL_CONFIG_INVALID', 'PORT: bad', { field: 'PORT' }), EXIT_CODES.USAGE],
    [new ServerError('SHL_USERNAME_TAKEN', 'taken'), EXIT_CODES.SERVER],
  ] as const)('%s exits %i and keeps its code and details', (error, exit) => {
    const cli = toCliError(error);
    expect(cli).toBeInstanceOf(ShlkitError);
    expect(cli).toMatchObject({ code: error.code, exitCode: exit, cause: error });
    for (const key of ['remainingAttempts', 'retryAfter', 'field', 'status'] as const) {
      const value = (error as unknown as Record<string, unknown>)[key];
      if (value !== undefined) expect(cli.details[key]).toBe(value);
    }
  });

  it('tells a link problem to run inspect', () => {
    expect(toCliError(new ShlError('SHL_INVALID_KEY', 'bad key')).hint).toMatch(/shlkit inspect/);
  });

  it.each([
    ['a TypeError', new TypeError('x is undefined')],
    ['a Node error with its own code', Object.assign(new Error('no such file'), { code: 'ENOENT' })],
    ['an error with a code the registry does not have', Object.assign(new Error('?'), { code: 'SHL_NOPE' })],
    ['a CLI code on something that is not a CliError', Object.assign(new Error('?'), { code: 'CLI_USAGE' })],
    ['a string', 'thrown text'],
  ])('%s is a bug: CLI_INTERNAL, exit 1', (_name, thrown) => {
    expect(toCliError(thrown)).toMatchObject({ code: 'CLI_INTERNAL', exitCode: EXIT_CODES.GENERIC });
  });

  it('leaves a CliError as it is', () => {
    const error = new CliError('CLI_FILE_NOT_FOUND', EXIT_CODES.LOCAL_FILE, 'missing', { hint: 'h' });
    expect(toCliError(error)).toBe(error);
  });
});
