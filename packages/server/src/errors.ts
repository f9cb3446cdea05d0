/**
 * Every error the server raises on purpose is a `ServerError` with a stable `code`. HTTP status comes from
 * one table, so a route never picks a status by hand and every error body has the same shape:
 * `{ "error": { "code", "message" } }`.
 */
export type ServerErrorCode =
  | 'SHL_CONFIG_INVALID'
  | 'SHL_VALIDATION_FAILED'
  | 'SHL_INVALID_JSON'
  | 'SHL_INVALID_CONTENT'
  | 'SHL_INVALID_CONTENT_TYPE'
  | 'SHL_INVALID_JWE'
  | 'SHL_INVALID_LABEL'
  | 'SHL_INVALID_EXPIRY'
  | 'SHL_INVALID_PASSCODE'
  | 'SHL_FLAG_CONFLICT'
  | 'SHL_INVALID_MANIFEST_REQUEST'
  | 'SHL_INVALID_CURSOR'
  | 'SHL_UNSUPPORTED_MEDIA_TYPE'
  | 'SHL_BODY_TOO_LARGE'
  | 'SHL_UNAUTHORIZED'
  | 'SHL_NOT_FOUND'
  | 'SHL_RATE_LIMITED'
  | 'SHL_NOT_LONG_TERM'
  | 'SHL_LINK_REVOKED'
  | 'SHL_ZERO_KNOWLEDGE'
  | 'SHL_USERNAME_TAKEN'
  | 'SHL_KEY_UNWRAP_FAILED'
  | 'SHL_VIEWER_NOT_BUILT'
  | 'SHL_INTERNAL';

/** The HTTP status of every code. `SHL_CONFIG_INVALID` never reaches HTTP: it stops the start. */
export const HTTP_STATUS: Readonly<Record<ServerErrorCode, number>> = Object.freeze({
  SHL_CONFIG_INVALID: 500,
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
  SHL_NOT_FOUND: 404,
  SHL_RATE_LIMITED: 429,
  SHL_NOT_LONG_TERM: 409,
  SHL_LINK_REVOKED: 409,
  SHL_ZERO_KNOWLEDGE: 409,
  SHL_USERNAME_TAKEN: 409,
  SHL_KEY_UNWRAP_FAILED: 500,
  SHL_VIEWER_NOT_BUILT: 503,
  SHL_INTERNAL: 500,
});

export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  /** The request field or configuration variable the error is about, when there is one. */
  readonly field: string | undefined;

  constructor(code: ServerErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options?.field;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

export const isServerError = (error: unknown, code?: ServerErrorCode): error is ServerError =>
  error instanceof ServerError && (code === undefined || error.code === code);

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export const errorBody = (code: string, message: string, field?: string): ErrorBody => ({
  error: field === undefined ? { code, message } : { code, message, field },
});
