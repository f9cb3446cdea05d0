import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { reportBundleSize } from '../../test-support/report-bundle-size.js';

const source = (pkg: string) => fileURLToPath(new URL(`../${pkg}/src/index.ts`, import.meta.url));

// The viewer is served by the SHL server at /view; it builds straight from the TypeScript sources of its
// sibling packages, so no `tsc -b` has to run first.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/view/',
  resolve: {
    alias: {
      '@shlkit/core': source('core'),
      '@shlkit/client': source('client'),
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
    // Inline nothing: the page's CSP allows scripts, styles and images from 'self' only (data: images too).
    assetsInlineLimit: 0,
  },
  plugins: [reportBundleSize({ app: 'viewer', budgetBytes: 150 * 1024 })],
});
