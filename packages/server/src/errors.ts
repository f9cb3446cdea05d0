import {
  ERROR_CODES,
  type ErrorCodeOf,
  type HttpStatusOf,
  type PublicErrorCode,
  ShlkitError,
  type WireErrorCode,
} from '@shlkit/core';

/**
 * The codes the server raises: the entries of core's `ERROR_CODES` whose `raisedBy` includes `server`.
 * Their HTTP status comes from that table too, so a route never picks a status by hand and every error
 * body has the same shape: `{ "error": { "code", "message", "field"? } }`.
 */
export type ServerErrorCode = ErrorCodeOf<'server'>;

const serverCodes = (Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]).filter(
  (code): code is ServerErrorCode => (ERROR_CODES[code].raisedBy as readonly string[]).includes('server'),
);

/**
 * The HTTP status of every server code, read from the registry. A local code (`SHL_CONFIG_INVALID`) has no
 * status of its own: it stops the start and never reaches HTTP; were one thrown in a request, the answer
 * would be a 500 `SHL_INTERNAL`, which is the 500 it is listed with here.
 */
export const HTTP_STATUS: Readonly<Record<ServerErrorCode, number>> = Object.freeze(
  Object.fromEntries(serverCodes.map((code) => [code, statusOf(code)])) as Record<ServerErrorCode, number>,
);

function statusOf(code: ServerErrorCode): number {
  const entry = ERROR_CODES[code];
  return entry.audience === 'local' ? 500 : entry.status;
}

/** Every error the server raises on purpose. The message is for people and may change; `code` is stable. */
export class ServerError extends ShlkitError<ServerErrorCode> {
  override readonly name = 'ServerError';
  /** The request field or configuration variable the error is about, when there is one. */
  readonly field: string | undefined;
  /** Seconds the client should wait before asking again; the answer carries it as `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ServerErrorCode,
    message: string,
    options?: { field?: string; cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(code, message, options?.cause);
    this.field = options?.field;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** The HTTP status of an answer with this code (500 for a local code: see `HTTP_STATUS`). */
  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

/** True for a `ServerError`, and when `code` is given, one with that code. */
export const isServerError = (error: unknown, code?: ServerErrorCode): error is ServerError =>
  error instanceof ServerError && (code === undefined || error.code === code);

/** The one error body on the wire. Only codes the registry lets out of the process fit in it. */
export interface ErrorBody {
  error: { code: WireErrorCode; message: string; field?: string };
}

export const errorBody = (code: WireErrorCode, message: string, field?: string): ErrorBody => ({
  error: field === undefined ? { code, message } : { code, message, field },
});

/** An error answer: its status from the registry, and its body. */
export interface ErrorAnswer<C extends WireErrorCode = WireErrorCode> {
  status: HttpStatusOf<C>;
  body: ErrorBody;
  /** Headers the answer needs besides its body (`Retry-After` on a 503 `SHL_UNAVAILABLE`). */
  headers?: Readonly<Record<string, string>>;
}

export const errorAnswer = <C extends WireErrorCode>(
  code: C,
  message: string,
  field?: string,
): ErrorAnswer<C> => ({
  status: ERROR_CODES[code].status as HttpStatusOf<C>,
  body: errorBody(code, message, field),
});

/**
 * An answer for link recipients (the manifest, file and direct-file endpoints). Only `public` codes
 * compile here, so a management-only code cannot reach someone who merely holds a link.
 */
export const publicErrorAnswer = <C extends PublicErrorCode>(
  code: C,
  message: string,
  field?: string,
): ErrorAnswer<C> => errorAnswer(code, message, field);
