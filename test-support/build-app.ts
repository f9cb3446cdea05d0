import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const viteBin = join(createRequire(import.meta.url).resolve('vite/package.json'), '..', 'bin', 'vite.js');

const newest = (path: string): number => {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  const files = readdirSync(path, { recursive: true, encoding: 'utf8' });
  return Math.max(0, ...files.map((file) => statSync(join(path, file)).mtimeMs));
};

/**
 * The e2e tests serve a built browser app (the viewer, the admin app). `npm test` builds them first; when a
 * test runs alone (or after an edit), build the app in `packageDir` here, but only when its `dist` is
 * missing or older than `sources` (paths relative to `packageDir`). Returns the `dist` folder.
 */
export const ensureAppBuilt = (packageDir: string, sources: readonly string[]): string => {
  const dist = join(packageDir, 'dist');
  const index = join(dist, 'index.html');
  const stale =
    !existsSync(index) ||
    sources.some((source) => newest(join(packageDir, source)) > statSync(index).mtimeMs);
  if (stale) {
    // A child process, because Vitest sets NODE_ENV=test, which would make Vite build a development bundle.
    const result = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], {
      cwd: packageDir,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`vite build failed in ${packageDir} (exit ${result.status})`);
  }
  return dist;
};
