import { spawnSync } from 'node:child_process';

/**
 * Which CPUs the load generator and the bare baseline run on (decision 0013). Each is a `taskset -c`
 * list, or undefined for no pinning. The shlkit server and PostgreSQL are never pinned: they run as
 * users run them.
 */
export interface CpuPlacement {
  /** CPUs of every load-worker (autocannon) process: the same for shlkit's trials and the bare ones. */
  load: string | undefined;
  /** CPUs of the bare node:http baseline: every CPU but the load generator's. */
  bare: string | undefined;
  /** One line for the report, e.g. `autocannon on CPU 1, bare node:http on CPU 0`. */
  summary: string;
}

/**
 * Why: on 2 CPUs the bare baseline's rate depended on where the scheduler put it. Beside autocannon on
 * one CPU it answered 15,000 to 20,000 small answers a second; on the other CPU, 29,500. Bench runs
 * minutes apart moved between the two (17,055 and 32,485 req/s for the same answer), and every ratio
 * with them. Pinned apart, the baseline is always the machine's best for that answer, and autocannon
 * has the same CPU in shlkit's trials as in the baseline's.
 *
 * @param cpuCount CPUs the machine has (`os.availableParallelism()`)
 * @param pin `BENCH_PIN`: false for no pinning
 * @param hasTaskset whether `taskset` (util-linux) can be run
 */
export const planCpuPlacement = (cpuCount: number, pin: boolean, hasTaskset: boolean): CpuPlacement => {
  const unpinned = (why: string): CpuPlacement => ({ load: undefined, bare: undefined, summary: why });
  if (!pin) return unpinned('not pinned (BENCH_PIN=false)');
  if (cpuCount < 2) return unpinned('not pinned (one CPU)');
  if (!hasTaskset) return unpinned('not pinned (no taskset on this machine)');
  const last = cpuCount - 1;
  const rest = last === 1 ? '0' : `0-${last - 1}`;
  return {
    load: String(last),
    bare: rest,
    summary: `autocannon on CPU ${last}, bare node:http on CPU ${rest}; shlkit and PostgreSQL unpinned`,
  };
};

/** Whether `taskset` runs here (it is in util-linux, on every Debian). */
export const tasksetAvailable = (): boolean => spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
