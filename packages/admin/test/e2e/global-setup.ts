import { ensureAdminBuilt } from './build-admin.js';

/** Once per run, before any test file: the e2e files share one built app. */
export default function setup(): void {
  ensureAdminBuilt();
}
