import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../src/db/migrations.js';
import { openInMemory } from '../../src/db/open-database.js';

/**
 * Global setup of the server's tests: runs initdb and every migration once, in memory, and dumps the data
 * directory to a file that each suite's in-memory PGlite is opened from (pglite-template.ts). The copy is
 * made from the migrations of this checkout on every run, so it cannot go stale; the migration suites
 * themselves still start from an empty database.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const pglite = await PGlite.create();
  const db = openInMemory(pglite);
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir('none');
  await db.destroy();
  const dir = mkdtempSync(join(tmpdir(), 'shlkit-pglite-template-'));
  const file = join(dir, 'migrated.tar');
  writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
