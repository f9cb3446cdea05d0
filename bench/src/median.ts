/** The median of `values` (the upper middle one for an even count); NaN for none. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Milliseconds elapsed since `started` (a `process.hrtime.bigint()` reading). */
export const msSince = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e6;
