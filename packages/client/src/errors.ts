/**
 * Every error `@shlkit/client` throws is a `ShlClientError` with a stable `code`, so that a program (the CLI's
 * exit codes, the viewer's messages) can switch on it. The message is for people and may change.
 */
export type ShlClientErrorCode =
  /** The link is not active: unknown, expired, revoked or locked. SHL answers all of them with one 404. */
  | 'SHL_NOT_FOUND'
  /** 401 for a wrong passcode; `remainingAttempts` says how many the link has left. Never retried. */
  | 'SHL_WRONG_PASSCODE'
  /** The link has flag P (or the server asked for one) and the caller gave no passcode. */
  | 'SHL_PASSCODE_REQUIRED'
  /** 429; `retryAfter` is the wait in seconds the server asked for, when it said. */
  | 'SHL_RATE_LIMITED'
  /** The payload's `v` is newer than this client; refused before any request. */
  | 'SHL_UNSUPPORTED_VERSION'
  /** A file is not a JWE this link's key opens. */
  | 'SHL_DECRYPT_FAILED'
  /** The text is not a usable `shlink:/` link. */
  | 'SHL_INVALID_LINK'
  /** The request did not get an answer: DNS, connection, TLS, timeout. */
  | 'SHL_NETWORK_ERROR'
  /** The server answered something SHL does not allow: bad status, bad manifest, non-JSON plaintext. */
  | 'SHL_INVALID_RESPONSE'
  /** The URL is not HTTPS or points to a loopback/private address, and the caller did not allow that. */
  | 'SHL_BLOCKED_ADDRESS'
  /** A response body (or an inflated file) is larger than the caller's cap. */
  | 'SHL_RESPONSE_TOO_LARGE'
  /** A SMART Health Card JWS cannot be read at all (not a JWS, payload not DEFLATE JSON). */
  | 'SHL_INVALID_SHC'
  /** The caller's options are unusable (no `recipient`); nothing was sent. */
  | 'SHL_INVALID_OPTIONS'
  /** No WebCrypto `crypto.subtle` (a browser page not served over https); nothing was sent. */
  | 'SHL_CRYPTO_UNAVAILABLE';

export interface ShlClientErrorOptions {
  cause?: unknown;
  /** HTTP status of the answer the error is about. */
  status?: number;
  remainingAttempts?: number;
  retryAfter?: number;
}

export class ShlClientError extends Error {
  override readonly name = 'ShlClientError';
  readonly code: ShlClientErrorCode;
  /** HTTP status of the answer the error is about, when there was one. */
  readonly status: number | undefined;
  /** `SHL_WRONG_PASSCODE` / `SHL_PASSCODE_REQUIRED`: attempts the link has left, when the server said. */
  readonly remainingAttempts: number | undefined;
  /** `SHL_RATE_LIMITED`: seconds to wait before asking again, when the server said. */
  readonly retryAfter: number | undefined;

  constructor(code: ShlClientErrorCode, message: string, options: ShlClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.remainingAttempts = options.remainingAttempts;
    this.retryAfter = options.retryAfter;
  }
}

export const isShlClientError = (error: unknown, code?: ShlClientErrorCode): error is ShlClientError =>
  error instanceof ShlClientError && (code === undefined || error.code === code);
