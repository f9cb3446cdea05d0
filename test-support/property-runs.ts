import type fc from 'fast-check';

/**
 * Under CI=true the properties replay this seed: a submission is judged by the code, not by the luck of
 * the draw. Local runs draw a new seed each time and so keep finding new cases (fast-check found an
 * `embeddedLengthMax` of 2^53 that way); a failure prints its seed, to be fixed and then kept as a test.
 */
const CI_SEED = 20261130;

/**
 * The settings of every fast-check property in the suites: a modest number of runs, so that the suite
 * stays fast on a shared 2-core machine, and a seed that is reported on failure and can be replayed with
 * `FC_SEED=<seed> npx vitest run <file>` (with `FC_PATH` to jump straight to the shrunk case).
 */
export const propertyRuns = (numRuns: number): fc.Parameters<unknown> => {
  const seed =
    process.env.FC_SEED !== undefined
      ? Number(process.env.FC_SEED)
      : process.env.CI === 'true'
        ? CI_SEED
        : undefined;
  const path = process.env.FC_PATH;
  return {
    numRuns,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  };
};
