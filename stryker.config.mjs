// Mutation testing of the modules that carry the rules protecting patients (issue 12): small deliberate
// breaks are made one at a time and the tests must notice each. `npm run mutate`; see docs/mutation.md.
//
// MUTATE_SCOPE picks the modules (and the test projects that run against them, vitest.mutation.config.ts):
// `core`, `client`, `server`, or unset for all three. Reports go to reports/mutation/<scope>.{json,html}.
// The server suites run on the embedded database (PGlite); set TEST_DATABASE_URL to run them on
// PostgreSQL too. Not part of `npm test`: a full run takes far longer than the suite.

const MODULES = {
  core: [
    'packages/core/src/links/**/*.ts',
    'packages/core/src/jwe/**/*.ts',
    'packages/core/src/manifest/**/*.ts',
  ],
  server: [
    'packages/server/src/passcodes/**/*.ts',
    'packages/server/src/manifests/**/*.ts',
    'packages/server/src/files/**/*.ts',
    'packages/server/src/key-wrapping/**/*.ts',
    'packages/server/src/access-rule/**/*.ts',
    'packages/server/src/access-log/**/*.ts',
    // The serving path most requests take: one statement and one commit per batch of requests.
    'packages/server/src/group-commit/**/*.ts',
  ],
  client: ['packages/client/src/fetch/**/*.ts', 'packages/client/src/resolve/**/*.ts'],
};

const scope = process.env.MUTATE_SCOPE ?? 'all';
if (scope !== 'all' && !(scope in MODULES)) {
  throw new Error(`MUTATE_SCOPE=${scope}: expected one of core, client, server (or unset for all)`);
}

const report = process.env.MUTATE_REPORT ?? scope;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/*', './scripts/mutation/ignore-error-messages.mjs'],
  ignorers: ['error-messages'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  // Each mutant runs only the tests that executed its code in the dry run (vitest's perTest coverage).
  coverageAnalysis: 'perTest',
  // Few cores here (and on a CI runner); each worker runs the server suites on its own PGlite.
  concurrency: 2,
  mutate: scope === 'all' ? Object.values(MODULES).flat() : MODULES[scope],
  ignorePatterns: ['reports', 'test-artifacts', 'packages/*/dist', 'bench/dist'],
  tempDirName: '.stryker-tmp',
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  // MUTATE_REPORT names a run's reports and incremental file apart from the scope's own (e.g. `server-static`
  // for a run of the static mutants alone).
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  htmlReporter: { fileName: `reports/mutation/${report}.html` },
  // Rerun only the mutants whose code or covering tests changed since the last run of this scope
  // (MUTATE_INCREMENTAL=false: all of them).
  incremental: process.env.MUTATE_INCREMENTAL !== 'false',
  incrementalFile: `reports/mutation/${report}-incremental.json`,
  // A static mutant (module-level code: route schemas, constant tables, SQL built at load) cannot be
  // tied to the tests that cover it, so it reruns every suite of its scope: on the server, 608 of 1,276
  // mutants, estimated at 88 % of a 3-4 hour run here. MUTATE_IGNORE_STATIC=true leaves them out of the
  // run and the score (Stryker reports them as ignored); docs/mutation.md says which scores were measured so.
  ignoreStatic: process.env.MUTATE_IGNORE_STATIC === 'true',
  // The first run of every test, with coverage, is slow on a small machine.
  dryRunTimeoutMinutes: 30,
  timeoutMS: 10_000,
  cleanTempDir: true,
};
