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

export type CliErrorCode =
  | 'CLI_USAGE'
  | 'CLI_CONFIG'
  | 'CLI_FILE_NOT_FOUND'
  | 'CLI_FILE_UNREADABLE'
  | 'CLI_FILE_UNWRITABLE'
  | 'CLI_INVALID_FILE'
  | 'CLI_INVALID_ENCODING'
  | 'CLI_API_ERROR'
  | 'CLI_API_UNAUTHORIZED'
  | 'CLI_NOT_FOUND'
  | 'CLI_NETWORK_ERROR'
  | 'CLI_INVALID_LINK'
  | 'CLI_INTERNAL';

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: string;
  readonly exitCode: ExitCode;
  /** What to do next, one sentence. */
  readonly hint: string | undefined;
  /** Extra fields for `--json` error output (for example `remainingAttempts`). */
  readonly details: Record<string, unknown>;

  constructor(
    code: CliErrorCode | string,
    exitCode: ExitCode,
    message: string,
    options: { hint?: string; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

export const usageError = (message: string, hint?: string): CliError =>
  new CliError('CLI_USAGE', EXIT_CODES.USAGE, message, hint === undefined ? {} : { hint });

/**
 * Exit codes and advice for the coded errors of core (`ShlError`) and the client (`ShlClientError`). Matched
 * by `code` rather than by class so that the table stays one place and covers both packages.
 */
const SHL_CODES: Record<string, { exit: ExitCode; hint?: string }> = {
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
  // Raised by the server's own functions, which serve, migrate, api-key and admin call in-process.
  SHL_CONFIG_INVALID: {
    exit: EXIT_CODES.USAGE,
    hint: 'Fix the environment variable the message names (the server README lists every variable).',
  },
  SHL_USERNAME_TAKEN: { exit: EXIT_CODES.SERVER, hint: 'Choose another username.' },
  SHL_VALIDATION_FAILED: { exit: EXIT_CODES.USAGE },
};

const LINK_HINT = 'Run `shlkit inspect LINK` to see every problem of the link.';

/** Any thrown value -> a CliError with an exit code. Unknown errors are exit 1 (a bug). */
export const toCliError = (error: unknown): CliError => {
  if (error instanceof CliError) return error;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined) {
    const known = SHL_CODES[code];
    const details = detailsOf(error);
    if (known) {
      return new CliError(code, known.exit, message, {
        cause: error,
        details,
        ...(known.hint === undefined ? {} : { hint: known.hint }),
      });
    }
    // Every other core code is about the link itself (SHL_INVALID_LINK, SHL_INVALID_KEY, SHL_FLAG_CONFLICT...).
    if (code.startsWith('SHL_')) {
      return new CliError(code, EXIT_CODES.FORMAT, message, { cause: error, details, hint: LINK_HINT });
    }
  }
  return new CliError('CLI_INTERNAL', EXIT_CODES.GENERIC, message, {
    cause: error,
    hint: 'This looks like a bug in shlkit; please report it with the command you ran.',
  });
};

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

const detailsOf = (error: unknown): Record<string, unknown> => {
  const details: Record<string, unknown> = {};
  for (const key of ['remainingAttempts', 'retryAfter', 'field', 'status'] as const) {
    const value = (error as Record<string, unknown>)[key];
    if (value !== undefined) details[key] = value;
  }
  return details;
};
