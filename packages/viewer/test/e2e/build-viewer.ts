import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
export const viewerDist = join(packageDir, 'dist');

const newest = (path: string): number => {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  const files = readdirSync(path, { recursive: true, encoding: 'utf8' });
  return Math.max(0, ...files.map((file) => statSync(join(path, file)).mtimeMs));
};

/**
 * The e2e tests serve the built viewer. `npm test` builds it first; when run alone (or after an edit), build
 * it here, but only when `dist` is missing or older than the sources.
 */
export const ensureViewerBuilt = async (): Promise<string> => {
  const index = join(viewerDist, 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', '../core/src', '../client/src'];
  const stale =
    !existsSync(index) ||
    sources.some((source) => newest(join(packageDir, source)) > statSync(index).mtimeMs);
  if (stale) {
    const { build } = await import('vite');
    await build({ configFile: join(packageDir, 'vite.config.ts'), logLevel: 'warn' });
  }
  return viewerDist;
};
