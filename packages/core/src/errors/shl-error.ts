/**
 * Every error core throws is a `ShlError` with a stable `code`. Programs switch on `code`; the message is
 * for people and may change.
 */
export type ShlErrorCode =
  // links
  | 'SHL_INVALID_LINK'
  | 'SHL_INVALID_PAYLOAD'
  | 'SHL_INVALID_URL'
  | 'SHL_URL_TOO_LONG'
  | 'SHL_INVALID_KEY'
  | 'SHL_INVALID_EXP'
  | 'SHL_INVALID_FLAG'
  | 'SHL_FLAG_CONFLICT'
  | 'SHL_INVALID_LABEL'
  | 'SHL_LABEL_TOO_LONG'
  | 'SHL_INVALID_VERSION'
  | 'SHL_UNSUPPORTED_VERSION'
  // files
  | 'SHL_INVALID_JWE'
  | 'SHL_DECRYPT_FAILED'
  | 'SHL_DECOMPRESSED_TOO_LARGE'
  | 'SHL_INVALID_CONTENT_TYPE'
  | 'SHL_INVALID_CONTENT'
  // manifests
  | 'SHL_INVALID_MANIFEST'
  | 'SHL_INVALID_MANIFEST_REQUEST'
  // SMART Health Cards
  | 'SHL_INVALID_SHC';

export class ShlError extends Error {
  override readonly name = 'ShlError';
  readonly code: ShlErrorCode;
  /** The payload or manifest field the error is about, when there is one. */
  readonly field: string | undefined;

  constructor(code: ShlErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options?.field;
  }
}

export const isShlError = (error: unknown, code?: ShlErrorCode): error is ShlError =>
  error instanceof ShlError && (code === undefined || error.code === code);
