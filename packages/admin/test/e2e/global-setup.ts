import { ensureViewerBuilt } from '../../../viewer/test/e2e/build-viewer.js';
import { ensureAdminBuilt } from './build-admin.js';

/** Once per run, before any test file: the e2e files share one built app (and the viewer links open in). */
export default function setup(): void {
  ensureAdminBuilt();
  ensureViewerBuilt();
}
