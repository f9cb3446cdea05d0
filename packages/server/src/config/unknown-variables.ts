import { editDistance } from './edit-distance.js';

/** The prefix of the server's own variables; the CLI's are `SHLKIT_*`, so they never match. */
export const SETTING_PREFIX = 'SHL_';

/** Something about the environment worth telling the operator that does not stop the start. */
export interface ConfigWarning {
  readonly code: 'SHL_CONFIG_UNKNOWN_VARIABLE';
  /** The variable the warning is about. Its value is never kept: it may be a secret. */
  readonly variable: string;
  /** The known variable with the closest name. */
  readonly suggestion: string;
  readonly message: string;
}

const closest = (name: string, known: readonly string[]): string => {
  let best = '';
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
};

/**
 * `SHL_*` variables the server does not know, most likely typos (`SHL_POLL_INTERVAL=60`): each with the
 * closest known name, sorted by name. Without this the mistyped setting would be silently ignored.
 */
export const findUnknownVariables = (
  env: Readonly<Record<string, string | undefined>>,
  known: readonly string[],
): ConfigWarning[] =>
  Object.keys(env)
    .filter((name) => name.startsWith(SETTING_PREFIX) && !known.includes(name))
    .sort()
    .map((variable) => {
      const suggestion = closest(variable, known);
      return {
        code: 'SHL_CONFIG_UNKNOWN_VARIABLE',
        variable,
        suggestion,
        message: `${variable} is not a setting of this server and is ignored; did you mean ${suggestion}?`,
      };
    });
