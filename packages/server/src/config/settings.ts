import { type TSchema, Type } from 'typebox';
import { type Config, CONFIG_SCHEMA } from './config.schema.js';

/** The words a boolean setting accepts (in any case), each pair a true and a false. */
export const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ['true', 'false'],
  ['1', '0'],
  ['yes', 'no'],
  ['on', 'off'],
];

/** How a setting's text is read before its schema checks it. */
export type SettingKind = 'integer' | 'boolean' | 'enum' | 'string';

/** One setting as parsing and the docs read it from `CONFIG_SCHEMA`. */
export interface Setting {
  /** Its property in `Config`. */
  readonly key: keyof Config;
  readonly env: string;
  readonly kind: SettingKind;
  readonly schema: TSchema;
  /** `undefined` for an optional setting. */
  readonly default: unknown;
  /** Markdown: what leaving it unset means, for a setting without a default. */
  readonly unset: string | undefined;
  /** What a valid value looks like, e.g. "a whole number from 0 to 65535": errors and the docs say it. */
  readonly expects: string;
  readonly description: string;
  /** Never shown in a message or a log line. */
  readonly secret: boolean;
}

/** The JSON Schema keywords and annotations we read; TypeBox keeps them as plain properties. */
interface SchemaFields {
  env?: unknown;
  default?: unknown;
  unset?: unknown;
  expects?: unknown;
  description?: unknown;
  secret?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  enum?: readonly unknown[];
}

const kindOf = (schema: TSchema): SettingKind | undefined => {
  if (Type.IsInteger(schema)) return 'integer';
  if (Type.IsBoolean(schema)) return 'boolean';
  if (Type.IsEnum(schema)) return 'enum';
  if (Type.IsString(schema)) return 'string';
  return undefined;
};

const describeExpected = (kind: SettingKind, fields: SchemaFields): string => {
  if (typeof fields.expects === 'string') return fields.expects;
  switch (kind) {
    case 'integer':
      return `a whole number from ${fields.minimum ?? 0} to ${fields.maximum ?? Number.MAX_SAFE_INTEGER}`;
    case 'boolean':
      return `true or false (also ${BOOLEAN_PAIRS.slice(1)
        .map((pair) => pair.join('/'))
        .join(', ')})`;
    case 'enum':
      return `one of ${(fields.enum ?? []).join(', ')}`;
    case 'string':
      return fields.minLength === undefined ? 'text' : `${fields.minLength} characters or more`;
  }
};

const readSetting = (key: keyof Config, schema: TSchema): Setting => {
  const fields = schema as SchemaFields;
  const kind = kindOf(schema);
  // A mistake in CONFIG_SCHEMA itself: the config tests load every setting, so this never reaches a user.
  if (kind === undefined || typeof fields.env !== 'string' || typeof fields.description !== 'string') {
    throw new TypeError(
      `CONFIG_SCHEMA.${key} needs an integer, boolean, enum or string type, env and description`,
    );
  }
  return {
    key,
    env: fields.env,
    kind,
    schema,
    default: fields.default,
    unset: typeof fields.unset === 'string' ? fields.unset : undefined,
    expects: describeExpected(kind, fields),
    description: fields.description,
    secret: fields.secret === true,
  };
};

/** Every setting, in `CONFIG_SCHEMA` order (the README table's order). */
export const SETTINGS: readonly Setting[] = Object.freeze(
  (Object.entries(CONFIG_SCHEMA) as [keyof Config, TSchema][]).map(([key, schema]) =>
    readSetting(key, schema),
  ),
);
