import { ShlkitError, type WireErrorCode } from '@shlkit/core';
import type { HttpMethod } from '../routes/route-contract.js';

/**
 * The code of a `ManagementApiError`: the server's own `code` when it answered with an error body (one of
 * the registry's wire codes), or one of two the client raises itself:
 * - `SHL_NETWORK_ERROR`: no answer at all (DNS, connection refused, TLS, reset); `status` is undefined.
 * - `SHL_INVALID_RESPONSE`: an answer outside the contract: an error status without the error body (a
 *   proxy's page), a code this version does not know (a newer server), a success answer that is not JSON
 *   or does not match its schema.
 */
export type ManagementErrorCode = WireErrorCode | 'SHL_NETWORK_ERROR' | 'SHL_INVALID_RESPONSE';

export interface ManagementApiErrorOptions {
  status?: number | undefined;
  field?: string | undefined;
  cause?: unknown;
}

/** Every failure of a management client call, with a stable `code` to switch on. */
export class ManagementApiError extends ShlkitError<ManagementErrorCode> {
  override readonly name = 'ManagementApiError';
  /** The HTTP status of the answer; undefined when there was none (`SHL_NETWORK_ERROR`). */
  readonly status: number | undefined;
  /** The request field the server says the error is about (`expiresAt`, `files[0].jwe`), when it says. */
  readonly field: string | undefined;
  readonly method: HttpMethod;
  /** The request path, without the query: `/api/links/3Xq...`. */
  readonly path: string;

  constructor(
    code: ManagementErrorCode,
    message: string,
    request: { method: HttpMethod; path: string },
    options: ManagementApiErrorOptions = {},
  ) {
    super(code, message, options.cause);
    this.status = options.status;
    this.field = options.field;
    this.method = request.method;
    this.path = request.path;
  }
}

/** True for a `ManagementApiError`, and when `code` is given, one with that code. */
export const isManagementApiError = (
  error: unknown,
  code?: ManagementErrorCode,
): error is ManagementApiError =>
  error instanceof ManagementApiError && (code === undefined || error.code === code);
