import type { ErrorCodeOf } from './registry.js';
import { ShlkitError } from './shlkit-error.js';

/** The codes core throws: the registry's entries whose `raisedBy` includes `core`. */
export type ShlErrorCode = ErrorCodeOf<'core'>;

/**
 * Every error core throws is a `ShlError` with a stable `code` from `ERROR_CODES`. Programs switch on
 * `code`; the message is for people and may change.
 */
export class ShlError extends ShlkitError<ShlErrorCode> {
  override readonly name = 'ShlError';
  /** The payload or manifest field the error is about, when there is one. */
  readonly field: string | undefined;

  constructor(code: ShlErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(code, message, options?.cause);
    this.field = options?.field;
  }
}

/** True for a `ShlError`, and when `code` is given, one with that code. */
export const isShlError = (error: unknown, code?: ShlErrorCode): error is ShlError =>
  error instanceof ShlError && (code === undefined || error.code === code);
