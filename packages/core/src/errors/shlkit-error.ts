import type { ErrorCode } from './registry.js';

/**
 * The base of every error shlkit throws on purpose: `ShlError` (core), `ShlClientError` (client),
 * `ServerError` (server) and `CliError` (CLI). Each narrows `code` to the codes its package may raise
 * (`raisedBy` in the registry), so a `switch (error.code)` is exhaustive per class; code that handles
 * errors of every package (the CLI's exit codes, a logger) checks `isShlkitError` once and reads `code`,
 * which is always a key of `ERROR_CODES`.
 *
 * Programs switch on `code`; the message is for people and may change.
 */
export abstract class ShlkitError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;

  protected constructor(code: C, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}

/** True for an error of any shlkit package; its `code` is then one of the registry's. */
export const isShlkitError = (error: unknown): error is ShlkitError => error instanceof ShlkitError;
