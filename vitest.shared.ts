import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// Tests run the TypeScript sources of sibling packages directly, so that a change in core is seen by the
// server's tests without a build step in between.
const source = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export const sharedProject = defineProject({
  resolve: {
    alias: {
      '@shlkit/core': source('core'),
      '@shlkit/api': source('api'),
      '@shlkit/client': source('client'),
      '@shlkit/server': source('server'),
      '@shlkit/cli': source('cli'),
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // A guard against a hung test, not a speed limit: on a 2-core CI machine running every suite at once,
    // a test that starts two servers with migrations and scrypt has been seen taking over 30 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
