import {
  ERROR_CODES,
  type ErrorCode,
  type ErrorCodeOf,
  isErrorCode,
  isShlkitError,
  ShlkitError,
} from '@shlkit/core';

/**
 * The CLI's one error type and its exit codes. Scripts branch on the exit code; people read the message
 * and the `hint`, which always says what to do next.
 */
export const EXIT_CODES = {
  OK: 0,
  GENERIC: 1,
  USAGE: 2,
  INACTIVE: 3,
  PASSCODE: 4,
  NETWORK: 5,
  FORMAT: 6,
  SERVER: 7,
  LOCAL_FILE: 8,
  WITHDRAWN: 9,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The table `shlkit help` and the README print. Keep in the order of the codes. */
export const EXIT_CODE_TABLE: readonly (readonly [ExitCode, string])[] = [
  [0, 'success'],
  [1, 'unexpected error (a bug: please report it with the message)'],
  [2, 'usage: unknown command or flag, missing or bad argument, bad configuration'],
  [3, 'not found or inactive: the link is expired, revoked, locked or unknown (or no such link id)'],
  [4, 'passcode: the link needs a passcode, or the passcode was wrong'],
  [5, 'network: the server could not be reached, refused the address, or asked to retry later'],
  [6, 'format: invalid link, undecryptable or malformed file, unexpected answer from a link server'],
  [7, 'server or API error: the management API refused the request (key, permission, validation)'],
  [8, 'local file: an input file is missing or unreadable, or an output file cannot be written'],
  [9, 'withdrawn: the link opened, but its content is marked no longer valid (or entered in error)'],
];

/**
 * The codes the CLI makes itself: the registry's `CLI_*` entries (core's `ERROR_CODES`, `raisedBy: cli`).
 * A `CliError` may carry any registry code, since `toCliError` passes on the codes of core, the client and
 * the server with an exit code; these are the ones only the CLI raises (and its warnings' codes).
 */
export type CliErrorCode = ErrorCodeOf<'cli'>;

/** The codes of the packages the CLI calls, which `toCliError` gives an exit code. */
type PassedOnCode = Exclude<ErrorCode, CliErrorCode>;

export class CliError extends ShlkitError {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;
  /** What to do next, one sentence. */
  readonly hint: string | undefined;
  /** Extra fields for `--json` error output (for example `remainingAttempts`). */
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    exitCode: ExitCode,
    message: string,
    options: { hint?: string; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options.cause);
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

export const usageError = (message: string, hint?: string): CliError =>
  new CliError('CLI_USAGE', EXIT_CODES.USAGE, message, hint === undefined ? {} : { hint });

interface ExitAdvice {
  exit: ExitCode;
  hint?: string;
}

const LINK_PROBLEM: ExitAdvice = {
  exit: EXIT_CODES.FORMAT,
  hint: 'Run `shlkit inspect LINK` to see every problem of the link.',
};

/**
 * Raised only by the server's HTTP requests, which the CLI reads as `CLI_API_*` (the server's code is in
 * `details.serverCode`); should one be thrown in-process, it is the server's refusal all the same.
 */
const SERVER_REFUSAL: ExitAdvice = { exit: EXIT_CODES.SERVER };

/**
 * Exit codes and advice for the codes of core (`ShlError`), the client (`ShlClientError`) and the server
 * (`ServerError`, from `serve`, `migrate`, `api-key` and `admin`, which run the server's functions
 * in-process). Keyed by every code of the registry but the CLI's own, so a new code does not compile until
 * it has an exit code here.
 */
const EXIT_ADVICE: Readonly<Record<PassedOnCode, ExitAdvice>> = Object.freeze({
  SHL_NOT_FOUND: {
    exit: EXIT_CODES.INACTIVE,
    hint: 'The link is expired, revoked, locked by wrong passcodes, or unknown. Ask the sender for a new link.',
  },
  SHL_WRONG_PASSCODE: {
    exit: EXIT_CODES.PASSCODE,
    hint: 'Check the passcode with the sender; every wrong try counts against the link for good.',
  },
  SHL_PASSCODE_REQUIRED: {
    exit: EXIT_CODES.PASSCODE,
    hint: 'This link is protected: pass --passcode (ask the sender for it).',
  },
  SHL_RATE_LIMITED: { exit: EXIT_CODES.NETWORK, hint: 'The server asks to wait; try again later.' },
  SHL_NETWORK_ERROR: {
    exit: EXIT_CODES.NETWORK,
    hint: 'Check the network connection and that the server in the link is up.',
  },
  SHL_BLOCKED_ADDRESS: {
    exit: EXIT_CODES.NETWORK,
    hint: 'The link points to http:// or a loopback/private address. If you trust it, add --allow-insecure-network.',
  },
  SHL_RESPONSE_TOO_LARGE: {
    exit: EXIT_CODES.FORMAT,
    hint: 'The server sent more than this command accepts.',
  },
  SHL_INVALID_RESPONSE: {
    exit: EXIT_CODES.FORMAT,
    hint: 'The link server answered something that is not SMART Health Links; tell the sender.',
  },
  SHL_UNSUPPORTED_VERSION: { exit: EXIT_CODES.FORMAT, hint: 'Update shlkit, or ask for a version 1 link.' },
  SHL_DECRYPT_FAILED: {
    exit: EXIT_CODES.FORMAT,
    hint: 'The link key does not open the file: the link was probably copied incompletely.',
  },
  SHL_DECOMPRESSED_TOO_LARGE: { exit: EXIT_CODES.FORMAT },
  SHL_INVALID_JWE: {
    exit: EXIT_CODES.FORMAT,
    hint: 'The file is not an SHL-encrypted JWE; tell the sender.',
  },
  SHL_INVALID_MANIFEST: { exit: EXIT_CODES.FORMAT },
  SHL_INVALID_CONTENT: { exit: EXIT_CODES.FORMAT },
  SHL_INVALID_CONTENT_TYPE: { exit: EXIT_CODES.FORMAT },
  SHL_INVALID_SHC: { exit: EXIT_CODES.FORMAT },
  SHL_INVALID_OPTIONS: { exit: EXIT_CODES.USAGE, hint: 'Give --recipient a non-empty name.' },
  // Node always has WebCrypto; a runtime without it cannot open any link.
  SHL_CRYPTO_UNAVAILABLE: { exit: EXIT_CODES.GENERIC, hint: 'Run shlkit on Node.js 20.19 or later.' },

  // The link itself.
  SHL_INVALID_LINK: LINK_PROBLEM,
  SHL_INVALID_PAYLOAD: LINK_PROBLEM,
  SHL_INVALID_URL: LINK_PROBLEM,
  SHL_URL_TOO_LONG: LINK_PROBLEM,
  SHL_INVALID_KEY: LINK_PROBLEM,
  SHL_INVALID_EXP: LINK_PROBLEM,
  SHL_INVALID_FLAG: LINK_PROBLEM,
  SHL_FLAG_CONFLICT: LINK_PROBLEM,
  SHL_INVALID_LABEL: LINK_PROBLEM,
  SHL_LABEL_TOO_LONG: LINK_PROBLEM,
  SHL_INVALID_VERSION: LINK_PROBLEM,
  SHL_INVALID_MANIFEST_REQUEST: LINK_PROBLEM,

  // Raised by the server's own functions, which serve, migrate, api-key and admin call in-process.
  SHL_CONFIG_INVALID: {
    exit: EXIT_CODES.USAGE,
    hint: 'Fix the environment variable the message names (the server README lists every variable).',
  },
  SHL_CONFIG_UNKNOWN_VARIABLE: {
    exit: EXIT_CODES.USAGE,
    hint: 'Check the spelling of the variable the message names.',
  },
  SHL_USERNAME_TAKEN: { exit: EXIT_CODES.SERVER, hint: 'Choose another username.' },
  SHL_VALIDATION_FAILED: { exit: EXIT_CODES.USAGE },
  SHL_KEY_UNWRAP_FAILED: {
    exit: EXIT_CODES.SERVER,
    hint: 'The server has another key-encryption key than the one the links were made with: check SHL_KEY_ENCRYPTION_KEY or DATA_DIR.',
  },
  SHL_DATA_DIR_IN_USE: {
    exit: EXIT_CODES.USAGE,
    hint: 'Use the running server (its management API or the admin app), or stop it and run this command again.',
  },
  SHL_INTERNAL: { exit: EXIT_CODES.SERVER, hint: 'The message says what failed.' },

  // Only ever in the server's HTTP answers.
  SHL_UNAUTHORIZED: SERVER_REFUSAL,
  SHL_INVALID_EXPIRY: SERVER_REFUSAL,
  SHL_INVALID_PASSCODE: SERVER_REFUSAL,
  SHL_INVALID_CURSOR: SERVER_REFUSAL,
  SHL_NOT_LONG_TERM: SERVER_REFUSAL,
  SHL_LINK_REVOKED: SERVER_REFUSAL,
  SHL_ZERO_KNOWLEDGE: SERVER_REFUSAL,
  SHL_INVALID_JSON: SERVER_REFUSAL,
  SHL_INVALID_ENCODING: SERVER_REFUSAL,
  SHL_UNSUPPORTED_MEDIA_TYPE: SERVER_REFUSAL,
  SHL_BODY_TOO_LARGE: SERVER_REFUSAL,
  SHL_INVALID_CONTENT_LENGTH: SERVER_REFUSAL,
  SHL_INVALID_REQUEST_URL: SERVER_REFUSAL,
  SHL_URI_TOO_LONG: SERVER_REFUSAL,
  SHL_HEADERS_TOO_LARGE: SERVER_REFUSAL,
  SHL_REQUEST_TIMEOUT: SERVER_REFUSAL,
  SHL_BAD_REQUEST: SERVER_REFUSAL,
  SHL_EXPECTATION_FAILED: SERVER_REFUSAL,
  SHL_SHUTTING_DOWN: SERVER_REFUSAL,
  SHL_VIEWER_NOT_BUILT: SERVER_REFUSAL,
  SHL_BAD_CREDENTIALS: SERVER_REFUSAL,
  SHL_FORBIDDEN: SERVER_REFUSAL,
  SHL_CSRF: SERVER_REFUSAL,
  SHL_LAST_ADMIN: SERVER_REFUSAL,
  SHL_FHIR_NOT_CONFIGURED: SERVER_REFUSAL,
  SHL_FHIR_UPSTREAM: SERVER_REFUSAL,
  SHL_NOT_IPS: SERVER_REFUSAL,
  SHL_IDEMPOTENCY_KEY_REUSED: SERVER_REFUSAL,
  SHL_UNAVAILABLE: {
    exit: EXIT_CODES.SERVER,
    hint: 'The server cannot reach its database or identity provider right now; try again in a few seconds.',
  },
});

const isCliCode = (code: ErrorCode): code is CliErrorCode =>
  (ERROR_CODES[code].raisedBy as readonly string[]).includes('cli');

/** Any thrown value -> a CliError with an exit code. Unknown errors are exit 1 (a bug). */
export const toCliError = (error: unknown): CliError => {
  if (error instanceof CliError) return error;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && !isCliCode(code)) {
    const { exit, hint } = EXIT_ADVICE[code];
    return new CliError(code, exit, message, {
      cause: error,
      details: detailsOf(error),
      ...(hint === undefined ? {} : { hint }),
    });
  }
  return new CliError('CLI_INTERNAL', EXIT_CODES.GENERIC, message, {
    cause: error,
    hint: 'This looks like a bug in shlkit; please report it with the command you ran.',
  });
};

/**
 * The registry code of a shlkit error. Read off the object rather than by class, so that an error of a
 * second copy of a package (a bundled server, say) still gets its exit code; anything else (a Node
 * `ENOENT`, a string) has none.
 */
const codeOf = (error: unknown): ErrorCode | undefined => {
  if (isShlkitError(error)) return error.code;
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return isErrorCode(code) ? code : undefined;
};

const detailsOf = (error: unknown): Record<string, unknown> => {
  const details: Record<string, unknown> = {};
  for (const key of ['remainingAttempts', 'retryAfter', 'field', 'status'] as const) {
    const value = (error as Record<string, unknown>)[key];
    if (value !== undefined) details[key] = value;
  }
  return details;
};
