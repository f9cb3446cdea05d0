import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
export const adminDist = join(packageDir, 'dist');
const viteBin = join(createRequire(import.meta.url).resolve('vite/package.json'), '..', 'bin', 'vite.js');

const newest = (path: string): number => {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  const files = readdirSync(path, { recursive: true, encoding: 'utf8' });
  return Math.max(0, ...files.map((file) => statSync(join(path, file)).mtimeMs));
};

/**
 * The e2e tests serve the built app. `npm test` builds it first; when run alone (or after an edit), build
 * it here, but only when `dist` is missing or older than the sources.
 */
export const ensureAdminBuilt = (): string => {
  const index = join(adminDist, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', '../api/src', '../core/src'];
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
    if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
  }
  return adminDist;
};
