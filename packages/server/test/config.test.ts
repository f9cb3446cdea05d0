import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { isServerError } from '../src/errors.js';

const configError = (
  env: Record<string, string>,
): { code: string; field: string | undefined; message: string } => {
  try {
    loadConfig(env);
  } catch (error) {
    if (isServerError(error)) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a configuration error');
};

describe('configuration', () => {
  it('has the documented defaults and is frozen', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      publicBaseUrl: 'http://localhost:8080',
      databaseUrl: undefined,
      dataDir: './data',
      demo: true,
      defaultPasscodeAttempts: 5,
      fhirContentTypeParam: true,
      locationTtlSeconds: 3600,
    });
    expect(config.bodyLimit).toBeGreaterThan(4 * 1024 * 1024);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('strips a trailing slash from PUBLIC_BASE_URL and leaves it unknown for PORT=0', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://x.example/shl-base/' }).publicBaseUrl).toBe(
      'https://x.example/shl-base',
    );
    expect(loadConfig({ PORT: '0' }).publicBaseUrl).toBeUndefined();
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
    ['PUBLIC_BASE_URL', 'not a url'],
    ['PUBLIC_BASE_URL', 'ftp://x.example'],
    ['PUBLIC_BASE_URL', 'https://x.example/?q=1'],
    ['DATABASE_URL', 'mysql://x'],
    ['SHL_API_KEY', 'short'],
    ['SHL_DEMO', 'maybe'],
    ['SHL_KEY_ENCRYPTION_KEY', 'too-short'],
    ['SHL_DEFAULT_PASSCODE_ATTEMPTS', '0'],
    ['SHL_EMBEDDED_LENGTH_MAX', '-1'],
    ['SHL_FHIR_CONTENT_TYPE_PARAM', 'sometimes'],
    ['SHL_LOCATION_TTL_SECONDS', '7200'],
    ['SHL_POLL_INTERVAL_SECONDS', '-5'],
    ['SHL_POLL_INTERVAL_SECONDS', '1m'],
    ['SHL_BODY_LIMIT', '12kb'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses %s=%s with an error naming the variable', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.code).toBe('SHL_CONFIG_INVALID');
    expect(error.field).toBe(variable);
    expect(error.message.startsWith(`${variable}:`)).toBe(true);
  });

  it('reads booleans and numbers', () => {
    const config = loadConfig({
      SHL_DEMO: 'false',
      SHL_FHIR_CONTENT_TYPE_PARAM: '0',
      SHL_DEFAULT_PASSCODE_ATTEMPTS: '10',
      DATABASE_URL: 'postgres://u:p@h/db',
    });
    expect(config).toMatchObject({
      demo: false,
      fhirContentTypeParam: false,
      defaultPasscodeAttempts: 10,
      databaseUrl: 'postgres://u:p@h/db',
    });
  });
});
