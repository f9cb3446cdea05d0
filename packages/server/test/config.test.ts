import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Config, loadConfig, parseConfig } from '../src/config.js';
import { CONFIG_DOCS_FILES, replaceConfigTable } from '../src/config/config-docs.js';
import { editDistance } from '../src/config/edit-distance.js';
import { SETTINGS } from '../src/config/settings.js';
import { configError } from './support/config-error.js';
import { repoRoot } from './support/spawn-server.js';

// The variable names and defaults are a contract with operators: this table is written out by hand on
// purpose, so that a change to the schema that renames a variable or moves a default fails here.
const DEFAULTS: [variable: string, key: string, value: unknown][] = [
  ['PORT', 'port', 8080],
  ['HOST', 'host', '0.0.0.0'],
  ['PUBLIC_BASE_URL', 'publicBaseUrl', 'http://localhost:8080'],
  ['DATABASE_URL', 'databaseUrl', undefined],
  ['DB_CONNECT_TIMEOUT_MS', 'dbConnectTimeoutMs', 5_000],
  ['DB_STATEMENT_TIMEOUT_MS', 'dbStatementTimeoutMs', 30_000],
  ['DATA_DIR', 'dataDir', './data'],
  ['SHL_API_KEY', 'apiKey', undefined],
  ['SHL_ADMIN_USER', 'adminUser', undefined],
  ['SHL_ADMIN_PASSWORD', 'adminPassword', undefined],
  ['SHL_SESSION_IDLE_MINUTES', 'sessionIdleMinutes', 30],
  ['SHL_SESSION_MAX_HOURS', 'sessionMaxHours', 12],
  ['SHL_OIDC_ISSUER', 'oidcIssuer', undefined],
  ['SHL_OIDC_AUDIENCE', 'oidcAudience', undefined],
  ['SHL_DEMO', 'demo', true],
  ['SHL_KEY_ENCRYPTION_KEY', 'keyEncryptionKey', undefined],
  ['SHL_KEY_ENCRYPTION_KEY_FILE', 'keyEncryptionKeyFile', undefined],
  ['SHL_KEY_ENCRYPTION_KEY_PREVIOUS', 'keyEncryptionKeyPrevious', undefined],
  ['SHL_DEFAULT_PASSCODE_ATTEMPTS', 'defaultPasscodeAttempts', 5],
  ['SHL_EMBEDDED_LENGTH_MAX', 'embeddedLengthMax', 500_000],
  ['SHL_FHIR_CONTENT_TYPE_PARAM', 'fhirContentTypeParam', true],
  ['SHL_COMPRESS_FILES', 'compressFiles', false],
  ['SHL_LOCATION_TTL_SECONDS', 'locationTtlSeconds', 3600],
  ['SHL_POLL_INTERVAL_SECONDS', 'pollIntervalSeconds', 0],
  ['SHL_NOT_FOUND_FLOOR_MS', 'notFoundFloorMs', 50],
  ['SHL_BODY_LIMIT', 'bodyLimit', 8_388_608],
  ['VIEWER_DIR', 'viewerDir', undefined],
  ['ADMIN_DIR', 'adminDir', undefined],
  ['FHIR_BASE_URL', 'fhirBaseUrl', undefined],
  ['FHIR_AUTH_TOKEN', 'fhirAuthToken', undefined],
  ['FHIR_FORWARD_USER_TOKEN', 'fhirForwardUserToken', false],
  ['FHIR_TIMEOUT_MS', 'fhirTimeoutMs', 10_000],
  ['SHL_RATE_LIMIT', 'rateLimit', true],
  ['SHL_RATE_LIMIT_PUBLIC', 'rateLimitPublic', 300],
  ['SHL_RATE_LIMIT_AUTH_FAILURES', 'rateLimitAuthFailures', 30],
  ['SHL_RATE_LIMIT_SIGN_IN', 'rateLimitSignIn', 20],
  ['SHL_RATE_LIMIT_SIGN_IN_ACCOUNT', 'rateLimitSignInAccount', 10],
  ['TRUST_PROXY', 'trustProxy', 'false'],
  ['SHL_METRICS_TOKEN', 'metricsToken', undefined],
  ['HTTP_REQUEST_TIMEOUT_MS', 'httpRequestTimeoutMs', 30_000],
  ['HTTP_HEADERS_TIMEOUT_MS', 'httpHeadersTimeoutMs', 10_000],
  ['HTTP_KEEP_ALIVE_TIMEOUT_MS', 'httpKeepAliveTimeoutMs', 5_000],
  ['HTTP_MAX_CONNECTIONS', 'httpMaxConnections', 1_024],
  ['SHUTDOWN_TIMEOUT_MS', 'shutdownTimeoutMs', 10_000],
  ['SHL_RETENTION_DAYS', 'retentionDays', 0],
  ['SHL_RETENTION_PERSONAL_DAYS', 'retentionPersonalDays', 0],
  ['SHL_RETENTION_SWEEP_MINUTES', 'retentionSweepMinutes', 60],
  ['LOG_LEVEL', 'logLevel', 'info'],
];

const LIMITS: [variable: string, min: number, max: number][] = [
  ['PORT', 0, 65535],
  ['SHL_RETENTION_DAYS', 0, 36500],
  ['SHL_RETENTION_SWEEP_MINUTES', 1, 10080],
  ['SHL_DEFAULT_PASSCODE_ATTEMPTS', 1, 1000],
  ['SHL_EMBEDDED_LENGTH_MAX', 0, 100_000_000],
  // SHL: location URLs SHALL NOT live longer than one hour.
  ['SHL_LOCATION_TTL_SECONDS', 1, 3600],
  ['SHL_POLL_INTERVAL_SECONDS', 0, 86400],
  ['SHL_NOT_FOUND_FLOOR_MS', 0, 5000],
  ['SHL_BODY_LIMIT', 1024, 512 * 1024 * 1024],
  ['SHL_RATE_LIMIT_PUBLIC', 1, 1_000_000],
  ['SHL_RATE_LIMIT_AUTH_FAILURES', 1, 1_000_000],
  ['SHL_RATE_LIMIT_SIGN_IN', 1, 1_000_000],
  ['SHL_RATE_LIMIT_SIGN_IN_ACCOUNT', 1, 1_000_000],
  ['DB_CONNECT_TIMEOUT_MS', 100, 120_000],
  ['DB_STATEMENT_TIMEOUT_MS', 100, 3_600_000],
  ['HTTP_MAX_CONNECTIONS', 1, 1_000_000],
  ['SHUTDOWN_TIMEOUT_MS', 0, 600_000],
];

const KEY_32_BYTES = Buffer.alloc(32, 7).toString('base64url');

describe('TRUST_PROXY', () => {
  it('takes false, true, or a list of addresses and CIDR ranges', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe('true');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, ::1' }).trustProxy).toBe(
      '10.0.0.0/8, 127.0.0.1, ::1',
    );
  });

  it('refuses an entry that is neither an address nor a range, naming the variable', () => {
    for (const value of ['10.0.0.0/99', 'proxy.example.org', '2']) {
      const error = configError({ TRUST_PROXY: value });
      expect(error.code).toBe('SHL_CONFIG_INVALID');
      expect(error.field).toBe('TRUST_PROXY');
    }
  });
});

describe('configuration', () => {
  it('declares exactly the documented variables, in order', () => {
    expect(SETTINGS.map((setting) => [setting.env, setting.key])).toEqual(
      DEFAULTS.map(([variable, key]) => [variable, key]),
    );
  });

  it('has the documented defaults and is frozen', () => {
    const config = loadConfig({});
    expect(config).toEqual(Object.fromEntries(DEFAULTS.map(([, key, value]) => [key, value])));
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each(DEFAULTS)(
    '%s defaults to its documented value when unset (and when blank, unless it is a secret)',
    (variable, key, value) => {
      expect(loadConfig({})[key as keyof Config]).toEqual(value);
      // A blank secret is refused instead (config-mistakes.test.ts): a secret store that failed to inject it.
      if (SETTINGS.find((setting) => setting.env === variable)?.secret === true) return;
      expect(loadConfig({ [variable]: '  ' })[key as keyof Config]).toEqual(value);
    },
  );

  it('strips a trailing slash from PUBLIC_BASE_URL and leaves it unknown for PORT=0', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://x.example/shl-base/' }).publicBaseUrl).toBe(
      'https://x.example/shl-base',
    );
    expect(loadConfig({ PORT: '0' }).publicBaseUrl).toBeUndefined();
    expect(loadConfig({ PORT: '9000' }).publicBaseUrl).toBe('http://localhost:9000');
  });

  it('refuses an HTTP_HEADERS_TIMEOUT_MS longer than HTTP_REQUEST_TIMEOUT_MS, naming it', () => {
    const error = configError({ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '6000' });
    expect(error).toMatchObject({ code: 'SHL_CONFIG_INVALID', field: 'HTTP_HEADERS_TIMEOUT_MS' });
    expect(
      loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '5000' }).httpHeadersTimeoutMs,
    ).toBe(5000);
  });

  it('refuses a PUBLIC_BASE_URL that would make link URLs longer than 128 characters', () => {
    const ok = `https://${'a'.repeat(80 - 'https://'.length)}`;
    expect(loadConfig({ PUBLIC_BASE_URL: ok }).publicBaseUrl).toBe(ok);
    const error = configError({ PUBLIC_BASE_URL: `${ok}b` });
    expect(error).toMatchObject({ code: 'SHL_CONFIG_INVALID', field: 'PUBLIC_BASE_URL' });
    expect(error.message).toContain('129');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['PUBLIC_BASE_URL', 'not a url'],
    ['PUBLIC_BASE_URL', 'ftp://x.example'],
    ['PUBLIC_BASE_URL', 'https://x.example/?q=1'],
    ['DATABASE_URL', 'mysql://x'],
    ['SHL_API_KEY', 'short'],
    ['SHL_DEMO', 'maybe'],
    ['SHL_KEY_ENCRYPTION_KEY', 'too-short'],
    ['SHL_KEY_ENCRYPTION_KEY', `${KEY_32_BYTES.slice(1)}=`],
    ['SHL_DEFAULT_PASSCODE_ATTEMPTS', '0'],
    ['SHL_EMBEDDED_LENGTH_MAX', '-1'],
    ['SHL_FHIR_CONTENT_TYPE_PARAM', 'sometimes'],
    ['SHL_LOCATION_TTL_SECONDS', '7200'],
    ['SHL_POLL_INTERVAL_SECONDS', '-5'],
    ['SHL_POLL_INTERVAL_SECONDS', '1m'],
    ['SHL_BODY_LIMIT', '12kb'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_LEVEL', 'INFO'],
  ])('refuses %s=%s with SHL_CONFIG_INVALID naming the variable', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.code).toBe('SHL_CONFIG_INVALID');
    expect(error.field).toBe(variable);
    expect(error.message.startsWith(`${variable}:`)).toBe(true);
  });

  it.each([
    ['PORT', 'eighty', 'a whole number from 0 to 65535'],
    ['SHL_DEMO', 'maybe', 'true or false (also 1/0, yes/no, on/off)'],
    ['LOG_LEVEL', 'loud', 'one of fatal, error, warn, info, debug, trace, silent'],
    ['SHL_API_KEY', 'short', '16 characters or more'],
  ])('says what %s accepts, as the README table does', (variable, value, expects) => {
    expect(configError({ [variable]: value }).message).toContain(expects);
    expect(SETTINGS.find((setting) => setting.env === variable)?.expects).toBe(expects);
  });

  it.each([
    ['SHL_API_KEY', 'hunter2-secret'],
    ['SHL_KEY_ENCRYPTION_KEY', 'hunter2-secret'],
    ['DATABASE_URL', 'mysql://root:hunter2-secret@db/x'],
  ])('never repeats the value of the secret %s in its error', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error).toMatchObject({ code: 'SHL_CONFIG_INVALID', field: variable });
    expect(error.message).not.toContain('hunter2');
  });

  it('echoes a non-secret bad value so the operator sees what was read', () => {
    expect(configError({ SHL_BODY_LIMIT: '12kb' }).message).toBe(
      'SHL_BODY_LIMIT: must be a whole number from 1024 to 536870912, not "12kb"',
    );
  });

  it.each(LIMITS)('accepts %s from %i to %i and nothing outside', (variable, min, max) => {
    const key = SETTINGS.find((setting) => setting.env === variable)?.key;
    expect(key).toBeDefined();
    if (key === undefined) return;
    expect(loadConfig({ [variable]: String(min) })[key]).toBe(min);
    expect(loadConfig({ [variable]: String(max) })[key]).toBe(max);
    expect(configError({ [variable]: String(max + 1) })).toMatchObject({
      code: 'SHL_CONFIG_INVALID',
      field: variable,
    });
    expect(configError({ [variable]: String(min - 1) })).toMatchObject({
      code: 'SHL_CONFIG_INVALID',
      field: variable,
    });
  });

  it('reads booleans, numbers and strings', () => {
    const config = loadConfig({
      SHL_DEMO: 'false',
      SHL_FHIR_CONTENT_TYPE_PARAM: '0',
      SHL_DEFAULT_PASSCODE_ATTEMPTS: ' 10 ',
      DATABASE_URL: 'postgres://u:p@h/db',
      SHL_KEY_ENCRYPTION_KEY: KEY_32_BYTES,
      SHL_API_KEY: 'a-long-enough-token',
      LOG_LEVEL: 'silent',
    });
    expect(config).toMatchObject({
      demo: false,
      fhirContentTypeParam: false,
      defaultPasscodeAttempts: 10,
      databaseUrl: 'postgres://u:p@h/db',
      keyEncryptionKey: KEY_32_BYTES,
      apiKey: 'a-long-enough-token',
      logLevel: 'silent',
    });
    expect(loadConfig({ SHL_DEMO: 'YES' }).demo).toBe(true);
    expect(loadConfig({ SHL_DEMO: 'off' }).demo).toBe(false);
  });
});

describe('unknown SHL_ variables', () => {
  it('SHL_POLL_INTERVAL=60 is ignored with a warning naming SHL_POLL_INTERVAL_SECONDS', () => {
    const { config, warnings } = parseConfig({ SHL_POLL_INTERVAL: '60' });
    expect(config.pollIntervalSeconds).toBe(0);
    expect(warnings).toEqual([
      {
        code: 'SHL_CONFIG_UNKNOWN_VARIABLE',
        variable: 'SHL_POLL_INTERVAL',
        suggestion: 'SHL_POLL_INTERVAL_SECONDS',
        message: expect.stringContaining('did you mean SHL_POLL_INTERVAL_SECONDS?'),
      },
    ]);
  });

  it('names the closest known variable for each typo, sorted by name, without their values', () => {
    const { warnings } = parseConfig({ SHL_DEMOO: 'false', SHL_APIKEY: 'hunter2-secret-token' });
    expect(warnings.map(({ variable, suggestion }) => [variable, suggestion])).toEqual([
      ['SHL_APIKEY', 'SHL_API_KEY'],
      ['SHL_DEMOO', 'SHL_DEMO'],
    ]);
    expect(JSON.stringify(warnings)).not.toContain('hunter2');
  });

  it('says nothing about known variables or ones without the SHL_ prefix (the CLI uses SHLKIT_)', () => {
    const { warnings } = parseConfig({
      SHL_DEMO: 'false',
      PORT: '0',
      PATH: '/usr/bin',
      SHLKIT_SERVER: 'http://x.example',
      shl_lowercase: '1',
    });
    expect(warnings).toEqual([]);
  });

  it('measures names by edit distance', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('SHL_DEMO', 'SHL_DEMO')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('SHL_POLL_INTERVAL', 'SHL_POLL_INTERVAL_SECONDS')).toBe(8);
    expect(editDistance('abc', '')).toBe(3);
  });
});

describe('configuration docs', () => {
  it.each(CONFIG_DOCS_FILES)('the table in %s matches the schema', (file) => {
    const markdown = readFileSync(`${repoRoot}${file}`, 'utf8');
    expect(
      replaceConfigTable(markdown),
      `${file}: the configuration table is stale; run \`npm run docs:config\` and commit the result`,
    ).toBe(markdown);
  });

  it('generates one row per setting, secrets marked', () => {
    const markdown = replaceConfigTable(
      'before\n<!-- config:start -->\nSTALE-TABLE\n<!-- config:end -->\nafter',
    );
    const rows = markdown.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(SETTINGS.length);
    expect(rows.find((line) => line.startsWith('| `SHL_API_KEY`'))).toMatch(/\| yes +\|/);
    expect(markdown.startsWith('before\n')).toBe(true);
    expect(markdown.endsWith('\nafter')).toBe(true);
    expect(markdown).not.toContain('STALE-TABLE');
  });

  it('refuses a README without the markers rather than leave it stale', () => {
    expect(() => replaceConfigTable('# no markers')).toThrow(/config:start/);
  });
});

describe('settings that are valid alone but not together', () => {
  it.each([
    [{ SHL_RETENTION_PERSONAL_DAYS: '30' }, 'SHL_RETENTION_PERSONAL_DAYS'],
    [{ SHL_RETENTION_DAYS: '90', SHL_RETENTION_PERSONAL_DAYS: '30' }, 'SHL_RETENTION_PERSONAL_DAYS'],
    [
      { SHL_KEY_ENCRYPTION_KEY: 'A'.repeat(43), SHL_KEY_ENCRYPTION_KEY_FILE: '/etc/shlkit/kek' },
      'SHL_KEY_ENCRYPTION_KEY_FILE',
    ],
  ])('refuses %o naming %s', (env, field) => {
    expect(() => loadConfig(env)).toThrow(expect.objectContaining({ code: 'SHL_CONFIG_INVALID', field }));
  });

  it('accepts personal-data retention at least as long as file retention', () => {
    expect(loadConfig({ SHL_RETENTION_DAYS: '90', SHL_RETENTION_PERSONAL_DAYS: '365' })).toMatchObject({
      retentionDays: 90,
      retentionPersonalDays: 365,
    });
  });
});
