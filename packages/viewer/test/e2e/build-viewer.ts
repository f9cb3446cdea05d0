import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAppBuilt } from '../../../../test-support/build-app.js';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
export const viewerDist = join(packageDir, 'dist');

/** Builds the viewer for the e2e tests when its `dist` is missing or older than its sources. */
export const ensureViewerBuilt = (): string =>
  ensureAppBuilt(packageDir, [
    'src',
    'public',
    'index.html',
    'vite.config.ts',
    '../core/src',
    '../client/src',
  ]);
