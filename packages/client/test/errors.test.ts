import { ShlkitError, isShlkitError } from '@shlkit/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isShlClientError, ShlClientError, type ShlClientErrorCode } from '../src/index.js';

describe('ShlClientError', () => {
  it('takes exactly the client codes of the registry', () => {
    // The viewer and the CLI switch on these exhaustively: a change here is a change of contract.
    expectTypeOf<ShlClientErrorCode>().toEqualTypeOf<
      | 'SHL_NOT_FOUND'
      | 'SHL_WRONG_PASSCODE'
      | 'SHL_PASSCODE_REQUIRED'
      | 'SHL_RATE_LIMITED'
      | 'SHL_UNSUPPORTED_VERSION'
      | 'SHL_DECRYPT_FAILED'
      | 'SHL_INVALID_LINK'
      | 'SHL_NETWORK_ERROR'
      | 'SHL_INVALID_RESPONSE'
      | 'SHL_BLOCKED_ADDRESS'
      | 'SHL_RESPONSE_TOO_LARGE'
      | 'SHL_INVALID_SHC'
      | 'SHL_INVALID_OPTIONS'
      | 'SHL_CRYPTO_UNAVAILABLE'
    >();
    // @ts-expect-error: a server-only code is not a client code
    new ShlClientError('SHL_UNAUTHORIZED', 'x');
  });

  it('is a ShlkitError that carries what the server said', () => {
    const cause = new Error('inner');
    const error = new ShlClientError('SHL_WRONG_PASSCODE', 'wrong passcode', {
      status: 401,
      remainingAttempts: 2,
      cause,
    });
    expect(error).toBeInstanceOf(ShlkitError);
    expect(isShlkitError(error)).toBe(true);
    expect(isShlClientError(error, 'SHL_WRONG_PASSCODE')).toBe(true);
    expect(isShlClientError(error, 'SHL_NOT_FOUND')).toBe(false);
    expect(error).toMatchObject({
      name: 'ShlClientError',
      code: 'SHL_WRONG_PASSCODE',
      status: 401,
      remainingAttempts: 2,
      retryAfter: undefined,
      cause,
    });
  });
});
