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
 * How far a variable without our prefix may be from a known name to count as its typo (`DATABASE_ULR`).
 * Other programs' variables share the environment (`HOME`, `PATH`, `HOSTNAME`), so short names must be
 * one edit away (`HOME` is two from `HOST`) and longer ones at most two.
 */
const nearMissDistance = (name: string): number => (name.length < 8 ? 1 : 2);

/**
 * Variables the server does not know that are most likely typos of one it does: every unknown `SHL_*`
 * variable (`SHL_POLL_INTERVAL=60`), and any other variable a small edit away from a known name without the
 * prefix (`DATABASE_ULR`, `PUBLIC_BASE_UR`). Each comes with the closest known name, sorted by name. Without
 * this the mistyped setting would be silently ignored.
 */
export const findUnknownVariables = (
  env: Readonly<Record<string, string | undefined>>,
  known: readonly string[],
): ConfigWarning[] => {
  const unprefixed = known.filter((name) => !name.startsWith(SETTING_PREFIX));
  const isNearMiss = (name: string): boolean =>
    unprefixed.some((candidate) => editDistance(name, candidate) <= nearMissDistance(candidate));
  return Object.keys(env)
    .filter((name) => !known.includes(name))
    .filter((name) => name.startsWith(SETTING_PREFIX) || isNearMiss(name))
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
};
