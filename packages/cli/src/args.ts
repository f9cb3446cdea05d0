import { type ParseArgsConfig, parseArgs } from 'node:util';
import { usageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs<O extends Options> {
  values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];
  positionals: string[];
}

/**
 * `node:util` parseArgs, strict, with its errors turned into usage errors that name the command's help.
 * No CLI framework: a dozen flags per command do not need one, and parseArgs ships with Node.
 */
export const parseCommandArgs = <O extends Options>(
  command: string,
  argv: readonly string[],
  options: O,
): ParsedArgs<O> => {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw usageError(message, `Run \`shlkit ${command} --help\` for the flags it takes.`);
  }
};

/** Flags most commands take. */
export const JSON_OPTION = { json: { type: 'boolean' } } as const;

export const SERVER_OPTIONS = {
  server: { type: 'string' },
  'api-key': { type: 'string' },
} as const;

/** Parses a positive integer flag value, or explains what was wrong. */
export const parsePositiveInteger = (command: string, flag: string, value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw usageError(
      `--${flag} must be a positive whole number, not "${value}"`,
      `Run \`shlkit ${command} --help\`.`,
    );
  }
  return Number(value);
};

export const requirePositionals = (
  command: string,
  positionals: readonly string[],
  count: { min: number; max?: number },
  what: string,
): void => {
  if (positionals.length < count.min) {
    throw usageError(`missing ${what}`, `Usage: see \`shlkit ${command} --help\`.`);
  }
  if (count.max !== undefined && positionals.length > count.max) {
    throw usageError(
      `too many arguments: ${positionals.slice(count.max).join(' ')}`,
      `Usage: see \`shlkit ${command} --help\`.`,
    );
  }
};
