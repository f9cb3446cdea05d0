/**
 * What one `npm run bench` does, read once from the environment by run.ts (the only module that reads
 * it). Every variable is documented in docs/performance.md; quick mode (`BENCH_QUICK=true`) lowers the
 * defaults so that a smoke run takes a few minutes.
 */
export interface BenchSettings {
  /** `BENCH_QUICK`: fewer requests and trials, 1,000 stored links only. */
  quick: boolean;
  /** `BENCH_STRICT`: a missed performance target makes the exit code 1 (a wrong access-log count always does). */
  strict: boolean;
  /** `BENCH_CONNECTIONS`: autocannon's concurrent keep-alive connections. Default 32. */
  connections: number;
  /** `BENCH_TRIALS`: A B pairs (shlkit, bare) per serving measure; medians are over them. Default 3 (quick 1). */
  trials: number;
  /**
   * `BENCH_REQUESTS`: requests per shlkit trial of a serving measure. Default 20,000 (quick 500): trials
   * of 5,000 lasted 1.5 to 3 s and measured the ramp at their start and end as much as the steady rate
   * (2,300 to 3,300 req/s against 4,500 for 20,000, on one server minutes apart; docs/performance.md).
   */
  requests: number;
  /** `BENCH_BARE_FACTOR`: the bare baseline's trial sends this many times `requests` (it is much faster). Default 4. */
  bareFactor: number;
  /** `BENCH_PASSCODE_REQUESTS`: requests per shlkit trial of the passcode measure (scrypt per request). Default 300 (quick 60). */
  passcodeRequests: number;
  /** `BENCH_WARMUP`: requests sent to each target before its trials, not measured. Default 5,000 (quick 100). */
  warmup: number;
  /** `BENCH_CREATE_RUNS`: link creations (and bare jose encryptions), alternating; medians over them. Default 7 (quick 3). */
  createRuns: number;
  /** `BENCH_NOT_FOUND_PAIRS`: interleaved uniform-404 pairs (deleted link, unknown id). Default 300 (quick 50). */
  notFoundPairs: number;
  /** `BENCH_LINKS`: stored-link counts to measure at, ascending. Default 1,000 and 100,000 (quick 1,000). */
  linkCounts: number[];
  /**
   * `BENCH_DATABASES`: `pglite`, `postgres` or both, comma-separated. Default both, PostgreSQL skipped
   * without a URL; named explicitly, PostgreSQL without a URL is an error.
   */
  databases: ('pglite' | 'postgres')[];
  /** `BENCH_DATABASE_URL`, else `TEST_DATABASE_URL`: where scratch PostgreSQL databases are made. */
  postgresUrl: string | undefined;
  /** `BENCH_LOG_LEVEL`: the spawned server's LOG_LEVEL (`silent` or `warn`). Default `silent`. */
  serverLogLevel: 'silent' | 'warn';
  /** `BENCH_OUT_DIR`: where bench.json and bench.md go. Default `test-artifacts`. */
  outDir: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

const integer = (env: Environment, name: string, fallback: number, minimum = 1): number => {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < minimum)
    throw new Error(`${name} must be an integer >= ${minimum}, not "${text}"`);
  return Number(text);
};

const flag = (env: Environment, name: string): boolean => {
  const text = env[name]?.trim().toLowerCase();
  if (text === undefined || text === '' || text === 'false' || text === '0') return false;
  if (text === 'true' || text === '1') return true;
  throw new Error(`${name} must be true or false, not "${text}"`);
};

/** @throws Error naming the variable when one is malformed. */
export const readBenchSettings = (env: Environment): BenchSettings => {
  const quick = flag(env, 'BENCH_QUICK');
  const links = env.BENCH_LINKS?.trim();
  const linkCounts =
    links === undefined || links === ''
      ? quick
        ? [1000]
        : [1000, 100_000]
      : links.split(',').map((part) => {
          const count = Number(part.trim());
          if (!Number.isInteger(count) || count < 10)
            throw new Error(`BENCH_LINKS must list integers >= 10, not "${links}"`);
          return count;
        });
  linkCounts.sort((a, b) => a - b);
  const databasesText = env.BENCH_DATABASES?.trim() || 'pglite,postgres';
  const databases = databasesText.split(',').map((part) => {
    const name = part.trim();
    if (name !== 'pglite' && name !== 'postgres')
      throw new Error(`BENCH_DATABASES lists pglite and/or postgres, not "${databasesText}"`);
    return name;
  });
  const postgresUrl = env.BENCH_DATABASE_URL?.trim() || env.TEST_DATABASE_URL?.trim() || undefined;
  // Asked for by name, PostgreSQL is required; by default it is measured only when a URL is given.
  if (env.BENCH_DATABASES?.trim() && databases.includes('postgres') && postgresUrl === undefined)
    throw new Error('BENCH_DATABASES names postgres: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
  const logLevel = env.BENCH_LOG_LEVEL?.trim() || 'silent';
  if (logLevel !== 'silent' && logLevel !== 'warn')
    throw new Error(`BENCH_LOG_LEVEL must be silent or warn, not "${logLevel}"`);
  return {
    quick,
    strict: flag(env, 'BENCH_STRICT'),
    connections: integer(env, 'BENCH_CONNECTIONS', 32),
    trials: integer(env, 'BENCH_TRIALS', quick ? 1 : 3),
    requests: integer(env, 'BENCH_REQUESTS', quick ? 500 : 20_000),
    bareFactor: integer(env, 'BENCH_BARE_FACTOR', 4),
    passcodeRequests: integer(env, 'BENCH_PASSCODE_REQUESTS', quick ? 60 : 300),
    warmup: integer(env, 'BENCH_WARMUP', quick ? 100 : 5000, 0),
    createRuns: integer(env, 'BENCH_CREATE_RUNS', quick ? 3 : 7),
    notFoundPairs: integer(env, 'BENCH_NOT_FOUND_PAIRS', quick ? 50 : 300),
    linkCounts,
    databases,
    postgresUrl,
    serverLogLevel: logLevel,
    outDir: env.BENCH_OUT_DIR?.trim() || 'test-artifacts',
  };
};
