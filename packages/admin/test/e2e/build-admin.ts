import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAppBuilt } from '../../../../test-support/build-app.js';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
export const adminDist = join(packageDir, 'dist');

/** Builds the admin app for the e2e tests when its `dist` is missing or older than its sources. */
export const ensureAdminBuilt = (): string =>
  ensureAppBuilt(packageDir, ['src', 'index.html', 'vite.config.ts', '../api/src', '../core/src']);
