/** Small measuring helpers for the benchmark; no dependencies. */

/** Runs `request` from `concurrency` loops for `seconds`; returns completed requests per second. */
export const requestsPerSecond = async (
  request: () => Promise<void>,
  options: { concurrency: number; seconds: number },
): Promise<{ perSecond: number; count: number }> => {
  const until = performance.now() + options.seconds * 1000;
  let count = 0;
  const loop = async () => {
    while (performance.now() < until) {
      await request();
      count += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: count / elapsed, count };
};

/** Median milliseconds of `runs` sequential calls (after one warm-up call). */
export const medianMs = async (run: () => Promise<unknown>, runs: number): Promise<number> => {
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
};
