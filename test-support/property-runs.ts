import type fc from 'fast-check';

/**
 * The settings of every fast-check property in the suites: a modest number of runs, so that the suite
 * stays fast on a shared 2-core machine, and a seed that is reported on failure and can be replayed with
 * `FC_SEED=<seed> npx vitest run <file>` (with `FC_PATH` to jump straight to the shrunk case).
 */
export const propertyRuns = (numRuns: number): fc.Parameters<unknown> => {
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
  const path = process.env.FC_PATH;
  return {
    numRuns,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  };
};
