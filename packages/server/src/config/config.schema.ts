import { type Static, type TOptional, type TSchema, Type } from 'typebox';

/** The DATA_DIR that keeps the database and the key-encryption key in memory only. */
export const MEMORY_DATA_DIR = 'memory://';

/**
 * Every server setting, one TypeBox schema each: the only place a setting is declared. Parsing
 * (`load-config.ts`), the `Config` type below and the README's configuration table (`config-docs.ts`,
 * `npm run docs:config`) all come from here.
 *
 * Besides JSON Schema's `default`, `minimum`, `maximum`, `minLength`, `pattern`, `enum` and `description`,
 * each schema carries:
 * - `env`: the environment variable. The names and defaults are a contract with operators: never rename one.
 * - `secret: true`: the value never appears in an error message or a log line.
 * - `unset`: for a setting without a `default` (`Type.Optional`), what leaving it unset means (Markdown).
 * - `expects`: what a valid value looks like, when `pattern` alone would not tell a person.
 */
export const CONFIG_SCHEMA = {
  port: Type.Integer({
    env: 'PORT',
    default: 8080,
    minimum: 0,
    maximum: 65535,
    description: 'TCP port; `0` picks a free one',
  }),
  host: Type.String({ env: 'HOST', default: '0.0.0.0', description: 'interface to listen on' }),
  // Checked further by `checkPublicBaseUrl`: the URL rules and the 128-character SHL limit are code.
  publicBaseUrl: Type.Optional(
    Type.String({
      env: 'PUBLIC_BASE_URL',
      unset: '`http://localhost:<PORT>`',
      expects: 'an http(s) URL without query or fragment, at most 80 characters',
      description:
        'origin (and optional path) that link URLs and viewer URLs are built from. Link URLs are `<base>/shl/<43-character id>`; the server refuses to start if that is longer than the 128 characters SHL allows',
    }),
  ),
  databaseUrl: Type.Optional(
    Type.String({
      env: 'DATABASE_URL',
      secret: true,
      pattern: '^postgres(ql)?://',
      expects: 'a postgres:// or postgresql:// URL',
      description:
        '`postgres://user:password@host:5432/db` selects PostgreSQL: durable as that server is configured (fsync on by default), and shared by as many server processes as you run. Unset selects the embedded PGlite database in `DATA_DIR/pglite`',
    }),
  ),
  dbConnectTimeoutMs: Type.Integer({
    env: 'DB_CONNECT_TIMEOUT_MS',
    default: 5_000,
    minimum: 100,
    maximum: 120_000,
    description:
      'PostgreSQL: how long to wait for a connection (opening one, or a free one from the pool of 10, or from the serving pool of 6 for public requests) in milliseconds; past it the request answers `503` `SHL_UNAVAILABLE`. Also bounds the database check of `/readyz`',
  }),
  dbStatementTimeoutMs: Type.Integer({
    env: 'DB_STATEMENT_TIMEOUT_MS',
    default: 30_000,
    minimum: 100,
    maximum: 3_600_000,
    description:
      "PostgreSQL: the longest a statement may run (PostgreSQL's `statement_timeout`) in milliseconds; a database that does not answer at all is given this plus `DB_CONNECT_TIMEOUT_MS`. Past it the request answers `503` `SHL_UNAVAILABLE`",
  }),
  dataDir: Type.String({
    env: 'DATA_DIR',
    default: './data',
    description: `embedded database (and, unless one is given, the generated key-encryption key). On disk, every write is flushed (fdatasync) before it is answered, so a power cut loses nothing acknowledged; one process at a time (\`DATA_DIR/shlkit.lock\` holds the owner's pid). \`${MEMORY_DATA_DIR}\` keeps everything in memory: volatile, for tests and trials`,
  }),
  apiKey: Type.Optional(
    Type.String({
      env: 'SHL_API_KEY',
      secret: true,
      minLength: 16,
      description: 'a bearer token with full management rights, for automation and first use',
    }),
  ),
  adminUser: Type.Optional(
    Type.String({
      env: 'SHL_ADMIN_USER',
      minLength: 1,
      maxLength: 200,
      unset: 'no account is made at start (`shlkit admin create-user USERNAME` makes one)',
      description:
        'with `SHL_ADMIN_PASSWORD`: an `admin` account created, or reset to this password, at start',
    }),
  ),
  adminPassword: Type.Optional(
    Type.String({
      env: 'SHL_ADMIN_PASSWORD',
      secret: true,
      minLength: 12,
      description: 'the password of `SHL_ADMIN_USER` (at least 12 characters)',
    }),
  ),
  sessionIdleMinutes: Type.Integer({
    env: 'SHL_SESSION_IDLE_MINUTES',
    default: 30,
    minimum: 1,
    maximum: 1440,
    description: 'a sign-in session ends after this many minutes without a request',
  }),
  sessionMaxHours: Type.Integer({
    env: 'SHL_SESSION_MAX_HOURS',
    default: 12,
    minimum: 1,
    maximum: 720,
    description: 'a sign-in session ends this many hours after sign-in, however active',
  }),
  oidcIssuer: Type.Optional(
    Type.String({
      env: 'SHL_OIDC_ISSUER',
      pattern: '^https?://[^?#]+$',
      expects: 'an http(s) URL without query or fragment (the `iss` of its tokens)',
      unset: 'bearer JWTs are refused (401)',
      description:
        'the identity provider whose access tokens (bearer JWTs, RS256 or ES256) the management API accepts, with keys from its discovery document (`/.well-known/openid-configuration` → `jwks_uri`). Such a token acts for its `sub` only: it creates links and sees, changes and revokes its own; needs `SHL_OIDC_AUDIENCE`',
    }),
  ),
  oidcAudience: Type.Optional(
    Type.String({
      env: 'SHL_OIDC_AUDIENCE',
      minLength: 1,
      unset: 'needed when `SHL_OIDC_ISSUER` is set',
      description: 'the `aud` a token of `SHL_OIDC_ISSUER` must carry to be accepted here',
    }),
  ),
  demo: Type.Boolean({
    env: 'SHL_DEMO',
    default: true,
    description: 'share one demo link (a minimal IPS) on the first start of an empty embedded database',
  }),
  keyEncryptionKey: Type.Optional(
    Type.String({
      env: 'SHL_KEY_ENCRYPTION_KEY',
      secret: true,
      // 43 base64url characters are exactly 32 bytes (the last character carries 4 bits).
      pattern: '^[A-Za-z0-9_-]{43}$',
      expects: '32 bytes, base64url-encoded (43 characters)',
      unset:
        'read from `SHL_KEY_ENCRYPTION_KEY_FILE`; without either, embedded mode generates one into `DATA_DIR/key-encryption-key` (announced at every start) and PostgreSQL mode refuses to start',
      description:
        'wraps every link key at rest (AES-256-GCM); new link keys are wrapped under it. Required with `DATABASE_URL` (every process must share it); keep it outside the data and its backups',
    }),
  ),
  keyEncryptionKeyFile: Type.Optional(
    Type.String({
      env: 'SHL_KEY_ENCRYPTION_KEY_FILE',
      minLength: 1,
      expects: 'the path of a file holding 32 bytes, base64url-encoded (43 characters)',
      unset: '`SHL_KEY_ENCRYPTION_KEY`, or the generated key (embedded mode only)',
      description:
        'a file holding the key-encryption key (a mounted secret, say), instead of `SHL_KEY_ENCRYPTION_KEY`; it must lie outside `DATA_DIR`. Setting both is an error',
    }),
  ),
  keyEncryptionKeyPrevious: Type.Optional(
    Type.String({
      env: 'SHL_KEY_ENCRYPTION_KEY_PREVIOUS',
      secret: true,
      pattern: '^[A-Za-z0-9_-]{43}(,[A-Za-z0-9_-]{43})*$',
      expects: 'one or more 32-byte base64url keys (43 characters each), separated by commas',
      unset: 'only the current key unwraps',
      description:
        'older (or, during a rolling change, newer) key-encryption keys this server also unwraps link keys with, never wraps with: set it while `shlkit rotate-kek` moves every link key to `SHL_KEY_ENCRYPTION_KEY` (see docs/deploying.md)',
    }),
  ),
  defaultPasscodeAttempts: Type.Integer({
    env: 'SHL_DEFAULT_PASSCODE_ATTEMPTS',
    default: 5,
    minimum: 1,
    maximum: 1000,
    description: 'lifetime wrong passcodes a link allows unless its creator says otherwise',
  }),
  embeddedLengthMax: Type.Integer({
    env: 'SHL_EMBEDDED_LENGTH_MAX',
    default: 500_000,
    minimum: 0,
    maximum: 100_000_000,
    description: 'longest JWE the manifest embeds; longer files are served by `location` URL',
  }),
  fhirContentTypeParam: Type.Boolean({
    env: 'SHL_FHIR_CONTENT_TYPE_PARAM',
    default: true,
    description:
      'list FHIR files as `application/fhir+json;fhirVersion=4.0.1`; `false` lists the bare type, for receivers that compare content types as exact strings (the JWE `cty` is always bare)',
  }),
  compressFiles: Type.Boolean({
    env: 'SHL_COMPRESS_FILES',
    default: false,
    description:
      'raw-DEFLATE files before encrypting them (`zip: DEF`; FHIR JSON shrinks about tenfold). Off by default: jose 5 and deployed scanners cannot inflate',
  }),
  locationTtlSeconds: Type.Integer({
    env: 'SHL_LOCATION_TTL_SECONDS',
    default: 3600,
    minimum: 1,
    // SHL: location URLs SHALL NOT live longer than one hour.
    maximum: 3600,
    description: 'lifetime of a `location` URL in seconds (SHL: at most one hour)',
  }),
  pollIntervalSeconds: Type.Integer({
    env: 'SHL_POLL_INTERVAL_SECONDS',
    default: 0,
    minimum: 0,
    maximum: 86400,
    description:
      'long-term (`L`) links: the least time in seconds between two manifest requests of one recipient. Their manifests then carry `Retry-After`, and a recipient that asks sooner gets `429` with the time left. `0` turns the limit off',
  }),
  notFoundFloorMs: Type.Integer({
    env: 'SHL_NOT_FOUND_FLOOR_MS',
    default: 50,
    minimum: 0,
    maximum: 5000,
    description:
      'the uniform `404` of the public link endpoints goes out no sooner than this many milliseconds after the request came in, so that its latency cannot tell an unknown link from an inactive one. `0` turns the floor off',
  }),
  bodyLimit: Type.Integer({
    env: 'SHL_BODY_LIMIT',
    default: 8 * 1024 * 1024,
    minimum: 1024,
    maximum: 512 * 1024 * 1024,
    description: 'largest request body in bytes (a 1.8 MB IPS as a JSON string needs about 2 MB)',
  }),
  viewerDir: Type.Optional(
    Type.String({
      env: 'VIEWER_DIR',
      unset: '`packages/viewer/dist`',
      description:
        'folder served at `/view` with a strict CSP; a missing folder gives a 503 page saying how to build it',
    }),
  ),
  adminDir: Type.Optional(
    Type.String({
      env: 'ADMIN_DIR',
      unset: '`packages/admin/dist`',
      description:
        'folder of the admin app, served at `/admin` (every path under it answers its page); a missing folder gives a 503 page saying how to build it',
    }),
  ),
  fhirBaseUrl: Type.Optional(
    Type.String({
      env: 'FHIR_BASE_URL',
      pattern: '^https?://[^?#]+$',
      expects: 'an http(s) URL without query or fragment',
      unset: '`POST /api/links/from-fhir` answers 501 `SHL_FHIR_NOT_CONFIGURED`',
      description:
        'the FHIR server that `POST /api/links/from-fhir` fetches `Patient/{id}/$summary` (an IPS document) from',
    }),
  ),
  fhirAuthToken: Type.Optional(
    Type.String({
      env: 'FHIR_AUTH_TOKEN',
      secret: true,
      minLength: 1,
      unset: 'no `Authorization` header',
      description: 'sent to the FHIR server as `Authorization: Bearer <token>`',
    }),
  ),
  fhirForwardUserToken: Type.Boolean({
    env: 'FHIR_FORWARD_USER_TOKEN',
    default: false,
    description:
      "`POST /api/links/from-fhir` called with a token of `SHL_OIDC_ISSUER` sends that user's own token to the FHIR server (instead of `FHIR_AUTH_TOKEN`), so that the FHIR server applies its own access rules",
  }),
  fhirTimeoutMs: Type.Integer({
    env: 'FHIR_TIMEOUT_MS',
    default: 10_000,
    minimum: 100,
    maximum: 120_000,
    description: 'how long to wait for the FHIR server, headers and body, in milliseconds',
  }),
  rateLimit: Type.Boolean({
    env: 'SHL_RATE_LIMIT',
    default: true,
    description:
      'rate limits (429 `SHL_RATE_LIMITED` with `Retry-After`), counted in the database so that they hold across server processes; `off` turns every limit off (benchmarks, test suites)',
  }),
  rateLimitPublic: Type.Integer({
    env: 'SHL_RATE_LIMIT_PUBLIC',
    default: 300,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'requests one client address may make to the public `/shl/*` endpoints per minute (manifest, direct file, `location` file)',
  }),
  rateLimitAuthFailures: Type.Integer({
    env: 'SHL_RATE_LIMIT_AUTH_FAILURES',
    default: 30,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'refused credentials (an unknown or revoked API key or management token, an access token that does not check out, an unknown or ended session cookie) one client address may send per 15 minutes; past it the management API answers that address 429 instead of 401, and checks no more access-token signatures from it',
  }),
  rateLimitSignIn: Type.Integer({
    env: 'SHL_RATE_LIMIT_SIGN_IN',
    default: 20,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'sign-in attempts (`POST /api/session`, right or wrong) one client address may make per 15 minutes; counted before the password is hashed',
  }),
  rateLimitSignInAccount: Type.Integer({
    env: 'SHL_RATE_LIMIT_SIGN_IN_ACCOUNT',
    default: 10,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'sign-in attempts one username may receive per 15 minutes, from any address; counted before the password is hashed',
  }),
  trustProxy: Type.String({
    env: 'TRUST_PROXY',
    default: 'false',
    expects: '`false`, `true`, or a comma-separated list of proxy addresses and CIDR ranges',
    description:
      'which `X-Forwarded-For` hops to believe when finding the client address (rate limits, logs). `false`: the TCP peer is the client. `true`: the left-most address (only when every request passes a proxy you run). A list (`10.0.0.0/8, 127.0.0.1`): the peer and the `X-Forwarded-For` hops in it are proxies, and the first address from the right not in it is the client (the safe choice behind a load balancer)',
  }),
  metricsToken: Type.Optional(
    Type.String({
      env: 'SHL_METRICS_TOKEN',
      secret: true,
      minLength: 16,
      unset: '`/metrics` answers anyone',
      description: '`/metrics` (Prometheus text format) then asks for `Authorization: Bearer <token>`',
    }),
  ),
  httpRequestTimeoutMs: Type.Integer({
    env: 'HTTP_REQUEST_TIMEOUT_MS',
    default: 30_000,
    minimum: 1_000,
    maximum: 3_600_000,
    description:
      'a request (headers and body) must arrive in full within this many milliseconds, or it is answered `408` `SHL_REQUEST_TIMEOUT` and its connection closed: slow clients cannot hold connections',
  }),
  httpHeadersTimeoutMs: Type.Integer({
    env: 'HTTP_HEADERS_TIMEOUT_MS',
    default: 10_000,
    minimum: 1_000,
    maximum: 3_600_000,
    description:
      'the request line and headers must arrive within this many milliseconds (at most `HTTP_REQUEST_TIMEOUT_MS`)',
  }),
  httpKeepAliveTimeoutMs: Type.Integer({
    env: 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    default: 5_000,
    minimum: 1_000,
    maximum: 600_000,
    description:
      "an idle keep-alive connection is closed after this many milliseconds; behind a load balancer, make it longer than the balancer's idle timeout",
  }),
  httpMaxConnections: Type.Integer({
    env: 'HTTP_MAX_CONNECTIONS',
    default: 1_024,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'open connections at most; further connections are closed at once until some end (Node `server.maxConnections`)',
  }),
  shutdownTimeoutMs: Type.Integer({
    env: 'SHUTDOWN_TIMEOUT_MS',
    default: 10_000,
    minimum: 0,
    maximum: 600_000,
    description:
      'on SIGTERM or SIGINT the server stops accepting connections and lets requests in flight finish for at most this many milliseconds, then closes the database and exits (`0` when every request finished, `1` when some were cut off)',
  }),
  retentionDays: Type.Integer({
    env: 'SHL_RETENTION_DAYS',
    default: 0,
    minimum: 0,
    maximum: 36500,
    description:
      'purge the files (ciphertext) of links that have been inactive (expired, used up, locked, deactivated or deleted) for this many days; the link stays as a tombstone that answers 404 and keeps its counts. `0` keeps them for ever',
  }),
  retentionPersonalDays: Type.Integer({
    env: 'SHL_RETENTION_PERSONAL_DAYS',
    default: 0,
    minimum: 0,
    maximum: 36500,
    description:
      'also erase the label and the recipient names in the access log of links inactive for this many days (at least `SHL_RETENTION_DAYS`, which must be on); the outcomes and counts stay. `0` keeps them',
  }),
  retentionSweepMinutes: Type.Integer({
    env: 'SHL_RETENTION_SWEEP_MINUTES',
    default: 60,
    minimum: 1,
    maximum: 10080,
    description:
      'how often each server process runs the retention sweep, in minutes (when `SHL_RETENTION_DAYS` is on); several processes may sweep at once',
  }),
  logLevel: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    env: 'LOG_LEVEL',
    default: 'info',
    description: 'pino log level',
  }),
};

type Settings = typeof CONFIG_SCHEMA;

/**
 * The server's whole configuration, parsed once from the environment at the edge (`main.ts`) and frozen.
 * A setting without a default (`Type.Optional`) is `undefined` when unset. `publicBaseUrl` has no trailing
 * slash, and stays undefined until the server listens when PORT=0 and PUBLIC_BASE_URL is unset.
 */
export type Config = {
  readonly [K in keyof Settings]: Settings[K] extends TOptional<TSchema>
    ? Static<Settings[K]> | undefined
    : Static<Settings[K]>;
};
