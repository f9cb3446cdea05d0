import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedProject } from './vitest.shared.js';

/**
 * The tests `npm run mutate` (stryker.config.mjs) runs against each mutant: every core and client test,
 * and the server suites about serving, passcodes, tickets, keys, link status and the access log. The
 * browser, CLI, configuration and admin suites exercise none of the mutated modules' rules and would only
 * slow the run. Server suites loop over PGlite, and over PostgreSQL too when TEST_DATABASE_URL is set.
 */
const project = (name: string, include?: string[]) => {
  const merged = mergeConfig(sharedProject, {
    test: { name, root: fileURLToPath(new URL(`./packages/${name}`, import.meta.url)) },
  });
  if (include !== undefined) merged.test.include = include;
  if (name === 'server') merged.test.globalSetup = ['test/support/pglite-template.global.ts'];
  // Under a mutation run every worker starts its own PGlite while the others run: give starts room.
  merged.test.hookTimeout = 300_000;
  merged.test.testTimeout = 120_000;
  return merged;
};

// MUTATE_SCOPE (see stryker.config.mjs) narrows the run to the tests of one package's modules.
const scope = process.env.MUTATE_SCOPE ?? 'all';
const wanted = (name: string) => scope === 'all' || scope === name;
// MUTATE_SERVER_TESTS (comma-separated globs under packages/server) narrows the server suites, for a quick
// run over a few modules, e.g. `test/inactive-matrix.test.ts,test/lockout-boundary.test.ts`.
const serverTests = process.env.MUTATE_SERVER_TESTS?.split(',').filter((glob) => glob !== '');
// MUTATE_CLIENT_TESTS does the same for the client suites (globs under packages/client), e.g. every suite but
// `real-server.test.ts`, which starts a migrated server for each static mutant.
const clientTests = process.env.MUTATE_CLIENT_TESTS?.split(',').filter((glob) => glob !== '');

export default defineConfig({
  test: {
    projects: [
      ...(wanted('core') ? [project('core')] : []),
      ...(wanted('client') ? [project('client', clientTests)] : []),
      ...(wanted('server')
        ? [
            project(
              'server',
              serverTests ?? [
                'test/access-rule.test.ts',
                'test/inactive-*.test.ts',
                'test/crypto-at-rest.test.ts',
                'test/key-*.test.ts',
                'test/passcode-*.test.ts',
                'test/lockout-*.test.ts',
                'test/public-endpoints.test.ts',
                'test/use-limit.test.ts',
                'test/poll-interval.test.ts',
                'test/access-stream.test.ts',
                'test/links-api.test.ts',
                'test/file-*.test.ts',
                'test/samples-roundtrip.test.ts',
                'test/group-commit*.test.ts',
                'test/client-gone.test.ts',
                'test/uniform-not-found.test.ts',
              ],
            ),
          ]
        : []),
    ],
  },
});
