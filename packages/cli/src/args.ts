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
      args: protectDashedArguments(argv, options),
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

/**
 * Link ids, key ids and passcodes are random base64url, so about one in 32 starts with "-", which parseArgs
 * would read as an option. Before parsing: a string option's value is glued on (`--passcode=-x1`), and an
 * argument that is no declared option but looks like an id (base64url, 8+ characters) becomes a positional
 * (all positionals then go after `--`, in their order). Unknown real flags still fail. Every value is glued
 * to its option, so that moving positionals never separates a flag from its value.
 */
export const protectDashedArguments = (argv: readonly string[], options: Options): string[] => {
  const takesValue = (token: string): boolean => {
    if (token.startsWith('--')) return options[token.slice(2)]?.type === 'string';
    return Object.values(options).some(
      (option) => option.short === token.slice(1) && option.type === 'string',
    );
  };
  const isDeclared = (token: string): boolean =>
    token.startsWith('--')
      ? options[token.slice(2).split('=')[0] ?? ''] !== undefined
      : token.length === 2 && Object.values(options).some((option) => option.short === token.slice(1));
  const flags: string[] = [];
  const positionals: string[] = [];
  let dashedPositional = false;
  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index] ?? '';
    if (token === '--') {
      positionals.push(...argv.slice(index + 1));
      dashedPositional = true;
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    if (isDeclared(token)) {
      const next = argv[index + 1];
      if (!token.includes('=') && takesValue(token) && next !== undefined && next !== '--') {
        flags.push(`${token.startsWith('--') ? token : `--${longName(options, token)}`}=${next}`);
        index += 1;
      } else {
        flags.push(token);
      }
      continue;
    }
    if (/^-[A-Za-z0-9_-]{7,}$/.test(token) && !token.startsWith('--')) {
      positionals.push(token);
      dashedPositional = true;
      continue;
    }
    // A long undeclared word with inner hyphens (`--allow-insecure-network` given to a command that does
    // not take it) is a flag: parseArgs then names it. A random id is almost never lowercase words joined
    // by hyphens.
    if (/^--[A-Za-z0-9_-]{20,}$/.test(token) && !/^--[a-z]+(?:-[a-z]+)+$/.test(token)) {
      positionals.push(token);
      dashedPositional = true;
      continue;
    }
    flags.push(token);
  }
  return dashedPositional ? [...flags, '--', ...positionals] : [...flags, ...positionals];
};

const longName = (options: Options, short: string): string =>
  Object.entries(options).find(([, option]) => option.short === short.slice(1))?.[0] ?? short.slice(1);

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
