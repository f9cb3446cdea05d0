import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../src/config.js';
import { SETTINGS } from '../src/config/settings.js';
import { configError } from './support/config-error.js';

const secretVariables = SETTINGS.filter((setting) => setting.secret).map((setting) => setting.env);

describe('configuration mistakes that would otherwise pass unnoticed', () => {
  it('knows at least the database URL, the API key and the key-encryption key as secrets', () => {
    expect(secretVariables).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'SHL_API_KEY', 'SHL_KEY_ENCRYPTION_KEY']),
    );
  });

  it.each(secretVariables.flatMap((variable) => [[variable, ''] as const, [variable, '   '] as const]))(
    'refuses %s set but blank ("%s") instead of falling back to the default',
    (variable, value) => {
      expect(configError({ [variable]: value })).toMatchObject({
        code: 'SHL_CONFIG_INVALID',
        field: variable,
      });
    },
  );

  it('still treats a blank setting that is not secret as unset (PORT= gives the default port)', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(8080);
  });

  it.each([
    ['DATABASE_ULR', 'DATABASE_URL'],
    ['PUBLIC_BASE_UR', 'PUBLIC_BASE_URL'],
    ['DATADIR', 'DATA_DIR'],
    ['SHL_POLL_INTERVAL', 'SHL_POLL_INTERVAL_SECONDS'],
  ])('warns about %s, naming %s', (typo, known) => {
    const { warnings } = parseConfig({ [typo]: 'x' });
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'SHL_CONFIG_UNKNOWN_VARIABLE', variable: typo, suggestion: known }),
    ]);
  });

  it('says nothing about the variables other programs set (HOME, PATH, HOSTNAME, TEST_DATABASE_URL)', () => {
    const env = {
      HOME: '/root',
      PATH: '/bin',
      HOSTNAME: 'box',
      PWD: '/',
      TERM: 'xterm',
      TEST_DATABASE_URL: 'x',
    };
    expect(parseConfig(env).warnings).toEqual([]);
  });

  it('never repeats a blank secret in its message', () => {
    expect(configError({ SHL_API_KEY: ' ' }).message).toMatch(/^SHL_API_KEY: is set but empty/);
  });
});
