import { Value } from 'typebox/value';
import type { Config } from './config.schema.js';
import { invalidSetting } from './invalid-setting.js';
import { checkPublicBaseUrl } from './public-base-url.js';
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

/** The setting's value: its default when unset or blank, else the text read and checked against its schema. */
const readSetting = (setting: Setting, env: Environment): unknown => {
  const text = env[setting.env]?.trim();
  if (text === undefined || text === '') return setting.default;
  const value = readText(setting, text);
  if (value === undefined || !Value.Check(setting.schema, value)) {
    const shown = setting.secret ? '' : `, not "${text}"`;
    throw invalidSetting(setting.env, `must be ${setting.expects}${shown}`);
  }
  return value;
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
  const publicBaseUrl =
    parsed.publicBaseUrl !== undefined
      ? checkPublicBaseUrl(parsed.publicBaseUrl)
      : parsed.port === 0
        ? undefined // known once listening
        : checkPublicBaseUrl(`http://localhost:${parsed.port}`);
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
