/**
 * The one table of every error code shlkit uses: core, client, server and CLI take their codes from it, and
 * the server takes every HTTP status from it. A code is a contract (scripts, the viewer and other SHL
 * software switch on it): never rename or remove one; add new ones freely.
 *
 * Each entry says:
 * - `audience`, the widest place the code may appear:
 *   - `public`: in answers to link recipients (the manifest, file and direct-file endpoints), and so
 *     anywhere else too;
 *   - `management`: in answers to management API callers (an API key or an admin user), never to recipients;
 *   - `local`: thrown in-process only (by core, the client, the CLI or the server's start-up), never on the
 *     wire. A local code that reaches the server's error handler is a bug and answers 500 `SHL_INTERNAL`.
 *   Every code may also be thrown in-process: the client throws `SHL_NOT_FOUND` when a server answered it.
 * - `status`: the HTTP status of an answer that carries the code; only wire codes (`public`,
 *   `management`) have one.
 * - `raisedBy`: the packages that originate the code, with their error class (`ShlError`, `ShlClientError`,
 *   `ServerError`, `CliError`) or as a warning's code; each package's code union (`ShlErrorCode`, ...) is
 *   derived from it. The CLI also passes on the codes of the packages it calls (a `CliError` may carry any
 *   code), but `cli` here marks only the codes it makes itself, the `CLI_*` ones.
 *
 * The CLI's own `CLI_*` codes live here too rather than in a table of the CLI's: one table means one place
 * to look a code up, and an object's keys cannot collide, so no CLI code can ever shadow a protocol code.
 * They are `local` (a script sees them in `shlkit --json` output, never in an HTTP answer). What only the
 * CLI knows, the exit code and the advice for each code, stays in the CLI (`cli/src/errors.ts`).
 *
 * Codes are grouped by the package that introduced them; the order means nothing.
 */

/** The widest place a code may appear; see the table's docblock. */
export type ErrorAudience = 'public' | 'management' | 'local';

/** A package whose error class may carry a code. */
export type ErrorSource = 'core' | 'client' | 'server' | 'cli';

interface EntryBase {
  readonly raisedBy: readonly ErrorSource[];
  /** One sentence for people: when the code is used. */
  readonly description: string;
}

/** A code that may appear in an HTTP answer, with the status of that answer. */
export interface WireErrorEntry extends EntryBase {
  readonly audience: 'public' | 'management';
  readonly status: number;
}

/** A code that never leaves the process. */
export interface LocalErrorEntry extends EntryBase {
  readonly audience: 'local';
  readonly status?: undefined;
}

export type ErrorEntry = WireErrorEntry | LocalErrorEntry;

const deepFreeze = <T extends Record<string, ErrorEntry>>(table: T): T => {
  for (const entry of Object.values(table)) Object.freeze(Object.freeze(entry).raisedBy);
  return Object.freeze(table);
};

export const ERROR_CODES = deepFreeze({
  // core: the link (SHL link payload, "1. The link")
  SHL_INVALID_LINK: {
    audience: 'local',
    raisedBy: ['core', 'client'],
    description:
      'The text is not a usable shlink:/ link (no shlink:/ part, not base64url, not a JSON object).',
  },
  SHL_INVALID_PAYLOAD: {
    audience: 'local',
    raisedBy: ['core'],
    description: 'The link payload misses a required field or has one of the wrong type.',
  },
  SHL_INVALID_URL: {
    audience: 'local',
    raisedBy: ['core'],
    description: 'The payload `url` is missing or not an absolute http(s) URL.',
  },
  SHL_URL_TOO_LONG: {
    audience: 'local',
    raisedBy: ['core'],
    description: 'The payload `url` is longer than the 128 characters SHL allows.',
  },
  SHL_INVALID_KEY: {
    audience: 'local',
    raisedBy: ['core'],
    description: 'The payload `key` is not 32 bytes of base64url (43 characters).',
  },
  SHL_INVALID_EXP: {
    audience: 'local',
    raisedBy: ['core'],
    description: 'The payload `exp` is not a number of epoch seconds.',
  },
  SHL_INVALID_FLAG: {
    audience: 'local',
    raisedBy: ['core'],
    description: 'The payload `flag` is not a string of flag letters.',
  },
  SHL_FLAG_CONFLICT: {
    audience: 'management',
    status: 400,
    raisedBy: ['core', 'server'],
    description: 'Flags that SHL forbids together: U with P.',
  },
  SHL_INVALID_LABEL: {
    audience: 'management',
    status: 400,
    raisedBy: ['core', 'server'],
    description:
      'The label is not a string, holds control characters or lone surrogates, or is longer than 80 characters where that is refused.',
  },
  SHL_LABEL_TOO_LONG: {
    audience: 'local',
    raisedBy: ['core'],
    description: 'The payload `label` is longer than 80 characters (a warning when inspecting a link).',
  },
  SHL_INVALID_VERSION: {
    audience: 'local',
    raisedBy: ['core'],
    description: 'The payload `v` is not a positive integer.',
  },
  SHL_UNSUPPORTED_VERSION: {
    audience: 'local',
    raisedBy: ['core', 'client'],
    description: 'The payload `v` is newer than this software; the link is refused before any request.',
  },

  // core: files ("4. Encryption")
  SHL_INVALID_JWE: {
    audience: 'management',
    status: 400,
    raisedBy: ['core', 'server'],
    description: 'A file is not a compact JWE with alg dir and enc A256GCM (or its cty does not match).',
  },
  SHL_DECRYPT_FAILED: {
    audience: 'local',
    raisedBy: ['core', 'client'],
    description: 'A JWE does not open with the link key.',
  },
  SHL_DECOMPRESSED_TOO_LARGE: {
    audience: 'local',
    raisedBy: ['core'],
    description: "A zip: DEF file inflates past the caller's limit.",
  },
  SHL_INVALID_CONTENT_TYPE: {
    audience: 'management',
    status: 400,
    raisedBy: ['core', 'server'],
    description: 'A content type that is not one of the three SHL file types.',
  },
  SHL_INVALID_CONTENT: {
    audience: 'management',
    status: 400,
    raisedBy: ['core', 'server'],
    description:
      'File content that does not match its type (not JSON, not FHIR, not a SMART Health Card...).',
  },

  // core: manifests ("2. Manifest request")
  SHL_INVALID_MANIFEST: {
    audience: 'local',
    raisedBy: ['core'],
    description: 'A manifest that is not the JSON SHL describes.',
  },
  SHL_INVALID_MANIFEST_REQUEST: {
    audience: 'public',
    status: 400,
    raisedBy: ['core', 'server'],
    description: 'A manifest request body without a recipient, or with fields of the wrong type.',
  },

  // core: SMART Health Cards
  SHL_INVALID_SHC: {
    audience: 'local',
    raisedBy: ['core', 'client'],
    description: 'A SMART Health Card JWS cannot be read at all (not a JWS, payload not DEFLATE JSON).',
  },

  // client: answers of a link server ("2. Manifest request", "6. Receiver duties")
  SHL_NOT_FOUND: {
    audience: 'public',
    status: 404,
    raisedBy: ['client', 'server'],
    description:
      'Nothing here: to recipients, the one answer for a link that is unknown, expired, revoked, locked or used up; to management callers, no such link, key or route.',
  },
  SHL_WRONG_PASSCODE: {
    audience: 'public',
    status: 401,
    raisedBy: ['client'],
    description: 'A wrong passcode; the answer says how many attempts the link has left.',
  },
  SHL_PASSCODE_REQUIRED: {
    audience: 'public',
    status: 401,
    raisedBy: ['client'],
    description: 'The link has flag P and the request had no passcode; no attempt was spent.',
  },
  SHL_RATE_LIMITED: {
    audience: 'public',
    status: 429,
    raisedBy: ['client', 'server'],
    description:
      'Too many requests: polled too soon, or over a rate limit (per address, per account); Retry-After says how many seconds to wait.',
  },
  SHL_NETWORK_ERROR: {
    audience: 'local',
    raisedBy: ['client'],
    description: 'A request got no answer: DNS, connection, TLS or timeout.',
  },
  SHL_INVALID_RESPONSE: {
    audience: 'local',
    raisedBy: ['client'],
    description: 'A link server answered something SHL does not allow (status, manifest, content type).',
  },
  SHL_BLOCKED_ADDRESS: {
    audience: 'local',
    raisedBy: ['client'],
    description:
      'A URL is not https or points to a loopback/private address, and the caller did not allow that.',
  },
  SHL_RESPONSE_TOO_LARGE: {
    audience: 'local',
    raisedBy: ['client'],
    description: "A response body or an inflated file is larger than the caller's cap.",
  },
  SHL_INVALID_OPTIONS: {
    audience: 'local',
    raisedBy: ['client'],
    description: "The caller's options are unusable (no recipient); nothing was sent.",
  },
  SHL_CRYPTO_UNAVAILABLE: {
    audience: 'local',
    raisedBy: ['client'],
    description:
      'No WebCrypto (crypto.subtle): a browser page not served over https (not a secure context); nothing was sent.',
  },

  // server: configuration and start-up
  SHL_CONFIG_INVALID: {
    audience: 'local',
    raisedBy: ['server'],
    description: 'An environment variable is missing or invalid; `field` names it. Stops the start.',
  },

  SHL_CONFIG_UNKNOWN_VARIABLE: {
    audience: 'local',
    raisedBy: ['server'],
    description:
      'A warning, not an error: an SHL_* environment variable the server does not know (most likely a typo); the start goes on.',
  },

  // server: requests in general (framework errors included)
  SHL_VALIDATION_FAILED: {
    audience: 'public',
    status: 400,
    raisedBy: ['server'],
    description: 'A request body, query or path parameter fails its schema; `field` names the first one.',
  },
  SHL_INVALID_JSON: {
    audience: 'public',
    status: 400,
    raisedBy: ['server'],
    description: 'A JSON request body that does not parse, or is empty.',
  },
  SHL_INVALID_ENCODING: {
    audience: 'public',
    status: 400,
    raisedBy: ['server'],
    description:
      'A JSON request body that is not UTF-8 (RFC 8259 section 8.1); the message names the offset of the first bad byte.',
  },
  SHL_UNSUPPORTED_MEDIA_TYPE: {
    audience: 'public',
    status: 415,
    raisedBy: ['server'],
    description: 'A request body that is not application/json, or a Content-Type that does not parse.',
  },
  SHL_BODY_TOO_LARGE: {
    audience: 'public',
    status: 413,
    raisedBy: ['server'],
    description: "A request body over the route's limit (64 KiB for manifest requests, SHL_BODY_LIMIT else).",
  },
  SHL_INVALID_CONTENT_LENGTH: {
    audience: 'public',
    status: 400,
    raisedBy: ['server'],
    description:
      'A Content-Length header that is not a length, comes twice, comes with Transfer-Encoding, or differs from the body.',
  },
  SHL_INVALID_REQUEST_URL: {
    audience: 'public',
    status: 400,
    raisedBy: ['server'],
    description: 'A request path that does not decode (bad percent-encoding).',
  },
  SHL_URI_TOO_LONG: {
    audience: 'public',
    status: 414,
    raisedBy: ['server'],
    description: 'A request path segment longer than the router accepts (100 characters).',
  },
  SHL_HEADERS_TOO_LARGE: {
    audience: 'public',
    status: 431,
    raisedBy: ['server'],
    description:
      'A request line and headers larger than Node accepts (16 KiB by default), long URLs included.',
  },
  SHL_REQUEST_TIMEOUT: {
    audience: 'public',
    status: 408,
    raisedBy: ['server'],
    description: "The request did not arrive in full within the server's request timeout.",
  },
  SHL_BAD_REQUEST: {
    audience: 'public',
    status: 400,
    raisedBy: ['server'],
    description:
      'A request that is not valid HTTP (malformed request line or header), refused before routing.',
  },
  SHL_EXPECTATION_FAILED: {
    audience: 'public',
    status: 417,
    raisedBy: ['server'],
    description: 'A request with an Expect header other than 100-continue.',
  },
  SHL_SHUTTING_DOWN: {
    audience: 'public',
    status: 503,
    raisedBy: ['server'],
    description: 'The server is closing and takes no new requests; ask again (another instance).',
  },
  SHL_VIEWER_NOT_BUILT: {
    audience: 'public',
    status: 503,
    raisedBy: ['server'],
    description: 'The viewer app is not built, so /view has nothing to serve.',
  },
  SHL_UNAVAILABLE: {
    audience: 'public',
    status: 503,
    raisedBy: ['server'],
    description:
      'Something the server depends on cannot be reached or timed out (the database, or the identity provider of SHL_OIDC_ISSUER); ask again after the Retry-After seconds.',
  },
  SHL_INTERNAL: {
    audience: 'public',
    status: 500,
    raisedBy: ['server'],
    description: 'A bug or an outage; the server log has the details, the answer does not.',
  },

  // server: management API
  SHL_UNAUTHORIZED: {
    audience: 'management',
    status: 401,
    raisedBy: ['server'],
    description:
      'No valid credentials: no API key, management token or identity-provider token (Bearer) that checks out (an expired, foreign or unsigned token included), and no live session cookie.',
  },
  SHL_INVALID_EXPIRY: {
    audience: 'management',
    status: 400,
    raisedBy: ['server'],
    description: 'An expiry in the past or not a date.',
  },
  SHL_INVALID_PASSCODE: {
    audience: 'management',
    status: 400,
    raisedBy: ['server'],
    description: 'A passcode that the server refuses to set (empty, too long).',
  },
  SHL_INVALID_CURSOR: {
    audience: 'management',
    status: 400,
    raisedBy: ['server'],
    description: 'A list cursor this server did not hand out.',
  },
  SHL_NOT_LONG_TERM: {
    audience: 'management',
    status: 409,
    raisedBy: ['server'],
    description: 'Content can only be replaced on a long-term (L) link.',
  },
  SHL_LINK_REVOKED: {
    audience: 'management',
    status: 409,
    raisedBy: ['server'],
    description: 'The link is revoked; it can no longer be changed.',
  },
  SHL_ZERO_KNOWLEDGE: {
    audience: 'management',
    status: 409,
    raisedBy: ['server'],
    description: "The server does not hold this link's key (pre-encrypted files), so it cannot do this.",
  },
  SHL_USERNAME_TAKEN: {
    audience: 'management',
    status: 409,
    raisedBy: ['server'],
    description: 'An admin user with this name exists.',
  },
  SHL_BAD_CREDENTIALS: {
    audience: 'management',
    status: 401,
    raisedBy: ['server'],
    description:
      'Sign-in refused: unknown user, wrong password or disabled account (one answer for all, on purpose).',
  },
  SHL_FORBIDDEN: {
    audience: 'management',
    status: 403,
    raisedBy: ['server'],
    description:
      "Known caller, but beyond its rights: the account's role (an operator manages links only), the API key's scopes, a management token's one link, or a patient token asking for another patient.",
  },
  SHL_CSRF: {
    audience: 'management',
    status: 403,
    raisedBy: ['server'],
    description: 'A state-changing request with a session cookie but without its x-csrf-token header.',
  },
  SHL_LAST_ADMIN: {
    audience: 'management',
    status: 409,
    raisedBy: ['server'],
    description: 'The change would leave no enabled admin account.',
  },
  SHL_FHIR_NOT_CONFIGURED: {
    audience: 'management',
    status: 501,
    raisedBy: ['server'],
    description: 'Creating a link from a FHIR server needs FHIR_BASE_URL, which this server does not have.',
  },
  SHL_FHIR_UPSTREAM: {
    audience: 'management',
    status: 502,
    raisedBy: ['server'],
    description:
      "The FHIR server did not give a patient summary: unknown patient, an OperationOutcome, a timeout or a network error (the message quotes the FHIR server's).",
  },
  SHL_NOT_IPS: {
    audience: 'management',
    status: 422,
    raisedBy: ['server'],
    description:
      'The FHIR server answered, but not with an IPS document (a Bundle of type document whose first entry is a Composition typed LOINC 60591-5).',
  },
  SHL_IDEMPOTENCY_KEY_REUSED: {
    audience: 'management',
    status: 422,
    raisedBy: ['server'],
    description:
      'An Idempotency-Key this caller used in the last 24 hours came again with another request (route, body or passcode); a new request needs a new key.',
  },
  SHL_DATA_DIR_IN_USE: {
    audience: 'local',
    raisedBy: ['server'],
    description:
      'The embedded database in DATA_DIR is open in another live process (a lock file names its pid): use that server, or stop it first.',
  },
  SHL_KEY_UNWRAP_FAILED: {
    audience: 'management',
    status: 500,
    raisedBy: ['server'],
    description: "A stored link key does not unwrap with this server's key-encryption key.",
  },

  // cli (see the docblock: exit codes and hints live in cli/src/errors.ts)
  CLI_USAGE: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'Unknown command or flag, missing or bad argument.',
  },
  CLI_CONFIG: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'Bad CLI configuration.',
  },
  CLI_FILE_NOT_FOUND: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'An input file does not exist.',
  },
  CLI_FILE_UNREADABLE: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'An input file exists but cannot be read.',
  },
  CLI_FILE_UNWRITABLE: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'An output file cannot be written.',
  },
  CLI_INVALID_FILE: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'An input file is not something the command can share (unknown or malformed content).',
  },
  CLI_INVALID_ENCODING: {
    audience: 'local',
    raisedBy: ['cli'],
    description:
      'An input file is neither UTF-8 nor UTF-16 with a byte order mark; `offset` names the first bad byte.',
  },
  CLI_CONTENT_WITHDRAWN: {
    audience: 'local',
    raisedBy: ['cli'],
    description:
      'A warning, not an error: the link opened, but its content or a file is no longer valid, entered in error or retracted (exit 9).',
  },
  CLI_UNKNOWN_STATUS: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'A warning, not an error: the manifest or a file has a status this version does not know.',
  },
  CLI_API_ERROR: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'The management API refused a request or answered something unexpected.',
  },
  CLI_API_UNAUTHORIZED: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'The management API refused the API key (401/403).',
  },
  CLI_NOT_FOUND: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'No such link or API key on the server.',
  },
  CLI_NETWORK_ERROR: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'The management API could not be reached.',
  },
  CLI_INVALID_LINK: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'A link given on the command line is not usable.',
  },
  CLI_INTERNAL: {
    audience: 'local',
    raisedBy: ['cli'],
    description: 'An unexpected error: a bug in shlkit.',
  },
} as const satisfies Record<`SHL_${string}` | `CLI_${string}`, ErrorEntry>);

type Registry = typeof ERROR_CODES;

/** Every code shlkit uses, and no other string. */
export type ErrorCode = keyof Registry;

/** The codes a package's error class may carry (`raisedBy` includes the package). */
export type ErrorCodeOf<S extends ErrorSource> = {
  [C in ErrorCode]: S extends Registry[C]['raisedBy'][number] ? C : never;
}[ErrorCode];

/** The codes that may appear in an HTTP answer (`public` or `management`). */
export type WireErrorCode = {
  [C in ErrorCode]: Registry[C]['audience'] extends 'local' ? never : C;
}[ErrorCode];

/** The codes that may appear in answers to link recipients. */
export type PublicErrorCode = {
  [C in ErrorCode]: Registry[C]['audience'] extends 'public' ? C : never;
}[ErrorCode];

/** The HTTP status of each wire code, as a type: `HttpStatusOf<'SHL_NOT_FOUND'>` is `404`. */
export type HttpStatusOf<C extends WireErrorCode> = Registry[C]['status'];

/** True for a string that is a code of the table (for codes read off the wire or from an unknown error). */
export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);

/** True for a code that may appear in an HTTP answer. */
export const isWireErrorCode = (code: ErrorCode): code is WireErrorCode =>
  ERROR_CODES[code].audience !== 'local';

/** The HTTP status of a wire code; `undefined` for a local code, which never reaches HTTP. */
export const httpStatusOf = (code: ErrorCode): number | undefined => (ERROR_CODES[code] as ErrorEntry).status;
