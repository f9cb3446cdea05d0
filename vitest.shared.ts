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
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
