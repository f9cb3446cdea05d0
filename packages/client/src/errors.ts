import { type ErrorCodeOf, ShlkitError } from '@shlkit/core';

/**
 * The codes `@shlkit/client` throws: the entries of core's `ERROR_CODES` whose `raisedBy` includes
 * `client` (the registry says what each means). A program (the CLI's exit codes, the viewer's messages)
 * switches on them exhaustively; adding `client` to a registry entry is what adds a code here.
 *
 * What comes with which code:
 * - `SHL_NOT_FOUND` (404): the link is not active (unknown, expired, revoked, locked); SHL answers all of
 *   them alike, so the client cannot say which.
 * - `SHL_WRONG_PASSCODE` / `SHL_PASSCODE_REQUIRED` (401): `remainingAttempts`, when the server said. A
 *   passcode is never retried.
 * - `SHL_RATE_LIMITED` (429): `retryAfter`, the wait in seconds the server asked for, when it said.
 * - `status`: the HTTP status of the answer the error is about, whatever the code.
 */
export type ShlClientErrorCode = ErrorCodeOf<'client'>;

export interface ShlClientErrorOptions {
  cause?: unknown;
  /** HTTP status of the answer the error is about. */
  status?: number;
  /** Attempts the link has left (`SHL_WRONG_PASSCODE`, `SHL_PASSCODE_REQUIRED`). */
  remainingAttempts?: number;
  /** Seconds to wait before asking again (`SHL_RATE_LIMITED`). */
  retryAfter?: number;
}

/** Every error `@shlkit/client` throws. The message is for people and may change; `code` is stable. */
export class ShlClientError extends ShlkitError<ShlClientErrorCode> {
  override readonly name = 'ShlClientError';
  /** HTTP status of the answer the error is about, when there was one. */
  readonly status: number | undefined;
  /** `SHL_WRONG_PASSCODE` / `SHL_PASSCODE_REQUIRED`: attempts the link has left, when the server said. */
  readonly remainingAttempts: number | undefined;
  /** `SHL_RATE_LIMITED`: seconds to wait before asking again, when the server said. */
  readonly retryAfter: number | undefined;

  constructor(code: ShlClientErrorCode, message: string, options: ShlClientErrorOptions = {}) {
    super(code, message, options.cause);
    this.status = options.status;
    this.remainingAttempts = options.remainingAttempts;
    this.retryAfter = options.retryAfter;
  }
}

/** True for a `ShlClientError`, and when `code` is given, one with that code. */
export const isShlClientError = (error: unknown, code?: ShlClientErrorCode): error is ShlClientError =>
  error instanceof ShlClientError && (code === undefined || error.code === code);
