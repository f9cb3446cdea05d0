import { decodeBase64url, isBase64url, MAX_URL_LENGTH } from '@shlkit/core';
import { ServerError } from './errors.js';

/**
 * The server's whole configuration, parsed once from the environment at the edge (`main.ts`) and frozen.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | PORT | 8080 | TCP port; 0 picks a free one |
 * | HOST | 0.0.0.0 | interface to listen on |
 * | PUBLIC_BASE_URL | http://localhost:PORT | origin (and optional path) link URLs are built from |
 * | DATABASE_URL | (unset) | `postgres://...` selects PostgreSQL; unset selects embedded PGlite in DATA_DIR |
 * | DATA_DIR | ./data | embedded database and generated key-encryption key; `memory://` keeps all in memory |
 * | SHL_API_KEY | (unset) | a bearer token with full management rights |
 * | SHL_DEMO | true | share one demo link on the first start of an empty embedded database |
 * | SHL_KEY_ENCRYPTION_KEY | (generated into DATA_DIR) | 32 bytes base64url: wraps every link key |
 * | SHL_DEFAULT_PASSCODE_ATTEMPTS | 5 | lifetime wrong passcodes a link allows unless the creator says |
 * | SHL_EMBEDDED_LENGTH_MAX | 500000 | longest JWE the manifest embeds; longer files go out as `location` |
 * | SHL_FHIR_CONTENT_TYPE_PARAM | true | list FHIR files as `application/fhir+json;fhirVersion=4.0.1` (false: bare type) |
 * | SHL_LOCATION_TTL_SECONDS | 3600 | lifetime of a `location` URL (SHL: at most one hour) |
 * | SHL_POLL_INTERVAL_SECONDS | 0 | long-term (L) links: the least time between two manifest requests of one recipient; 0 turns the limit off |
 * | SHL_BODY_LIMIT | 8388608 | largest request body in bytes (the 1.8 MB IPS as a JSON string needs about 2 MB) |
 * | VIEWER_DIR | packages/viewer/dist | folder served at /view |
 * | LOG_LEVEL | info | pino level |
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Without a trailing slash. Undefined until known when PORT=0 and PUBLIC_BASE_URL is unset. */
  readonly publicBaseUrl: string | undefined;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly apiKey: string | undefined;
  readonly demo: boolean;
  /** base64url of 32 bytes, or undefined to use the one in DATA_DIR. */
  readonly keyEncryptionKey: string | undefined;
  readonly defaultPasscodeAttempts: number;
  readonly embeddedLengthMax: number;
  readonly fhirContentTypeParam: boolean;
  readonly locationTtlSeconds: number;
  /** 0: no limit. */
  readonly pollIntervalSeconds: number;
  readonly bodyLimit: number;
  readonly viewerDir: string | undefined;
  readonly logLevel: string;
}

export const MEMORY_DATA_DIR = 'memory://';

/** `/shl/` plus a 43-character id: what the server appends to PUBLIC_BASE_URL to make a link's url. */
export const LINK_PATH_LENGTH = '/shl/'.length + 43;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const invalid = (variable: string, message: string): ServerError =>
  new ServerError('SHL_CONFIG_INVALID', `${variable}: ${message}`, { field: variable });

const text = (env: Record<string, string | undefined>, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

const integer = (
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number => {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw invalid(name, `must be a whole number, not "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw invalid(name, `must be between ${min} and ${max}, not ${value}`);
  return value;
};

const boolean = (env: Record<string, string | undefined>, name: string, fallback: boolean): boolean => {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw invalid(name, `must be true or false, not "${raw}"`);
};

/**
 * Checks a public base URL and returns it without a trailing slash. SHL: a link's `url` SHALL NOT exceed
 * 128 characters, so a base that makes `<base>/shl/<43-char id>` longer is refused at start.
 */
export const checkPublicBaseUrl = (raw: string, variable = 'PUBLIC_BASE_URL'): string => {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw invalid(variable, `is not an absolute URL: "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid(variable, `must be http(s), not ${parsed.protocol}`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw invalid(variable, 'must not carry a query or fragment');
  }
  const base = raw.replace(/\/+$/, '');
  const urlLength = base.length + LINK_PATH_LENGTH;
  if (urlLength > MAX_URL_LENGTH) {
    throw invalid(
      variable,
      `makes link URLs ${urlLength} characters long; SHL allows at most ${MAX_URL_LENGTH}, so the base may have at most ${MAX_URL_LENGTH - LINK_PATH_LENGTH}`,
    );
  }
  return base;
};

/** Parses the environment once; throws `SHL_CONFIG_INVALID` naming the variable on the first bad value. */
export const loadConfig = (env: Record<string, string | undefined>): Config => {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const rawBase = text(env, 'PUBLIC_BASE_URL');
  const publicBaseUrl =
    rawBase !== undefined
      ? checkPublicBaseUrl(rawBase)
      : port === 0
        ? undefined
        : checkPublicBaseUrl(`http://localhost:${port}`);

  const databaseUrl = text(env, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw invalid('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }

  const keyEncryptionKey = text(env, 'SHL_KEY_ENCRYPTION_KEY');
  if (
    keyEncryptionKey !== undefined &&
    (keyEncryptionKey.length !== 43 ||
      !isBase64url(keyEncryptionKey) ||
      decodeBase64url(keyEncryptionKey).length !== 32)
  ) {
    throw invalid('SHL_KEY_ENCRYPTION_KEY', 'must be 32 bytes base64url-encoded (43 characters)');
  }

  const apiKey = text(env, 'SHL_API_KEY');
  if (apiKey !== undefined && apiKey.length < 16) {
    throw invalid('SHL_API_KEY', 'must be at least 16 characters: it grants full management rights');
  }

  const logLevel = text(env, 'LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw invalid('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);

  return Object.freeze({
    port,
    host: text(env, 'HOST') ?? '0.0.0.0',
    publicBaseUrl,
    databaseUrl,
    dataDir: text(env, 'DATA_DIR') ?? './data',
    apiKey,
    demo: boolean(env, 'SHL_DEMO', true),
    keyEncryptionKey,
    defaultPasscodeAttempts: integer(env, 'SHL_DEFAULT_PASSCODE_ATTEMPTS', 5, 1, 1000),
    embeddedLengthMax: integer(env, 'SHL_EMBEDDED_LENGTH_MAX', 500_000, 0, 100_000_000),
    fhirContentTypeParam: boolean(env, 'SHL_FHIR_CONTENT_TYPE_PARAM', true),
    // SHL: location URLs SHALL live at most one hour.
    locationTtlSeconds: integer(env, 'SHL_LOCATION_TTL_SECONDS', 3600, 1, 3600),
    pollIntervalSeconds: integer(env, 'SHL_POLL_INTERVAL_SECONDS', 0, 0, 86400),
    bodyLimit: integer(env, 'SHL_BODY_LIMIT', 8 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    viewerDir: text(env, 'VIEWER_DIR'),
    logLevel,
  });
};

/** The config with its public base URL known (after listening when PORT was 0). */
export const withPublicBaseUrl = (config: Config, publicBaseUrl: string): Config =>
  Object.freeze({ ...config, publicBaseUrl: checkPublicBaseUrl(publicBaseUrl) });
