import { Value } from 'typebox/value';
import type { Config } from './config.schema.js';
import { invalidSetting } from './invalid-setting.js';
import { checkPublicBaseUrl } from './public-base-url.js';
import { parseTrustProxy } from './trust-proxy.js';
import { BOOLEAN_PAIRS, type Setting, SETTINGS } from './settings.js';
import { type ConfigWarning, findUnknownVariables } from './unknown-variables.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ParsedConfig {
  readonly config: Config;
  /** Things to tell the operator at start that do not stop it, such as an unknown `SHL_*` variable. */
  readonly warnings: readonly ConfigWarning[];
}

/** The environment's text as the setting's type, or `undefined` when the text is not of that type. */
const readText = (setting: Setting, text: string): unknown => {
  switch (setting.kind) {
    case 'integer':
      return /^\d+$/.test(text) ? Number(text) : undefined;
    case 'boolean': {
      const word = text.toLowerCase();
      const pair = BOOLEAN_PAIRS.find((words) => words.includes(word));
      return pair === undefined ? undefined : pair[0] === word;
    }
    case 'enum':
    case 'string':
      return text;
  }
};

/**
 * Settings that must never fall back to their default when the variable is present but blank. A secret store
 * that failed to inject `DATABASE_URL` or `SHL_KEY_ENCRYPTION_KEY` leaves `NAME=` behind; starting on the
 * embedded database or a key generated on local disk instead would split links and passcode counts across
 * processes without a word. Secrets and the database choice therefore refuse a blank value.
 */
const blankIsAnError = (setting: Setting): boolean => setting.secret || setting.env === 'DATABASE_URL';

/** The setting's value: its default when unset (or blank, where blank is harmless), else the text read and checked. */
const readSetting = (setting: Setting, env: Environment): unknown => {
  const raw = env[setting.env];
  const text = raw?.trim();
  if (raw !== undefined && text === '' && blankIsAnError(setting)) {
    throw invalidSetting(
      setting.env,
      'is set but empty; give a value, or unset the variable to use the default',
    );
  }
  if (text === undefined || text === '') return setting.default;
  const value = readText(setting, text);
  if (value === undefined || !Value.Check(setting.schema, value)) {
    const shown = setting.secret ? '' : `, not "${text}"`;
    throw invalidSetting(setting.env, `must be ${setting.expects}${shown}`);
  }
  return value;
};

/** Settings that are valid alone but not together. */
const checkCombinations = (config: Config): void => {
  if (config.keyEncryptionKey !== undefined && config.keyEncryptionKeyFile !== undefined) {
    throw invalidSetting(
      'SHL_KEY_ENCRYPTION_KEY_FILE',
      'is set together with SHL_KEY_ENCRYPTION_KEY; give the key one way only',
    );
  }
  if (config.retentionPersonalDays > 0 && config.retentionDays === 0) {
    throw invalidSetting(
      'SHL_RETENTION_PERSONAL_DAYS',
      'needs SHL_RETENTION_DAYS too: labels and names are erased only after the files are purged',
    );
  }
  if (config.retentionPersonalDays > 0 && config.retentionPersonalDays < config.retentionDays) {
    throw invalidSetting(
      'SHL_RETENTION_PERSONAL_DAYS',
      `must be at least SHL_RETENTION_DAYS (${config.retentionDays}): labels and names are erased after the files`,
    );
  }
};

/**
 * Parses the environment once, every setting as `CONFIG_SCHEMA` declares it, into a frozen `Config`.
 * Pure: the environment is passed in (only `main.ts` reads `process.env`). Throws `SHL_CONFIG_INVALID`
 * naming the variable on the first bad value; an unknown `SHL_*` variable is a warning, not an error, so a
 * variable from a newer version does not stop an older server.
 */
export const parseConfig = (env: Environment): ParsedConfig => {
  const values: Record<string, unknown> = {};
  for (const setting of SETTINGS) values[setting.key] = readSetting(setting, env);
  // Every value is its setting's default or passed its schema, so the record is a Config.
  const parsed = values as unknown as Config;
  parseTrustProxy(parsed.trustProxy);
  // Node refuses a headers timeout longer than the whole-request timeout; say which variable to change.
  if (parsed.httpHeadersTimeoutMs > parsed.httpRequestTimeoutMs) {
    throw invalidSetting(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must be at most HTTP_REQUEST_TIMEOUT_MS (${parsed.httpRequestTimeoutMs}), not ${parsed.httpHeadersTimeoutMs}`,
    );
  }
  checkCombinations(parsed);
  const publicBaseUrl =
    parsed.publicBaseUrl !== undefined
      ? checkPublicBaseUrl(parsed.publicBaseUrl)
      : parsed.port === 0
        ? undefined // known once listening
        : checkPublicBaseUrl(`http://localhost:${parsed.port}`);
  // A token is only as narrow as its audience: without one, a token the issuer made for any other
  // application would be accepted here.
  if (parsed.oidcIssuer !== undefined && parsed.oidcAudience === undefined) {
    throw invalidSetting('SHL_OIDC_AUDIENCE', 'must be set with SHL_OIDC_ISSUER');
  }
  return {
    config: Object.freeze({ ...parsed, publicBaseUrl }),
    warnings: findUnknownVariables(
      env,
      SETTINGS.map((setting) => setting.env),
    ),
  };
};

/** The configuration alone, for callers that have no logger to tell warnings to (tests, CLI tools). */
export const loadConfig = (env: Environment): Config => parseConfig(env).config;
