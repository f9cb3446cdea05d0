import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { reportBundleSize } from '../../test-support/report-bundle-size.js';

const source = (pkg: string) => fileURLToPath(new URL(`../${pkg}/src/index.ts`, import.meta.url));

/** First-load JavaScript budget, gzipped: the build fails over it (issue 8: "the first load is small"). */
export const ADMIN_BUDGET_BYTES = 80 * 1024;

// The admin app is served by the SHL server at /admin; like the viewer it builds straight from the
// TypeScript sources of its sibling packages, so no `tsc -b` has to run first.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  resolve: {
    alias: {
      '@shlkit/core': source('core'),
      '@shlkit/api': source('api'),
    },
  },
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Inline nothing: the page's CSP allows scripts, styles and images from 'self' only.
    assetsInlineLimit: 0,
  },
  plugins: [reportBundleSize({ app: 'admin app', budgetBytes: ADMIN_BUDGET_BYTES })],
});
