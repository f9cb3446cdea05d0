import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeServerSuite } from './server-suite.js';

// The embedded database on disk rather than memory://: the operator commands (migrate, api-key, admin) open
// the same database as the server in separate steps, and the test reads it afterwards for plaintext.
describeServerSuite('embedded PGlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shlkit-cli-pglite-'));
  return { env: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
});
