import { ensureViewerBuilt } from './build-viewer.js';

/** Once per run, before any test file: the e2e files share one built viewer. */
export default function setup(): void {
  ensureViewerBuilt();
}
