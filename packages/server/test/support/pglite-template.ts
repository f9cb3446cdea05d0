import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openInMemory } from '../../src/db/open-database.js';
import type { Database } from '../../src/db/schema.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file pglite-template.global.ts dumped a migrated PGlite data directory to; '' when none. */
    pgliteTemplate: string;
  }
}

let template: Promise<Blob> | undefined;

/**
 * A fresh in-memory PGlite, migrated to the latest schema, opened from the copy the global setup made
 * (pglite-template.global.ts): loading that copy takes about 0.5 s where `PGlite.create()` runs initdb and
 * every migration in about 2.5 s, and every suite (and, under `npm run mutate`, every mutant's run of a
 * suite) starts one. Undefined when no copy was provided (a config without the global setup), so that
 * the caller opens one the slow way.
 */
export const openMigratedInMemory = async (): Promise<Database | undefined> => {
  const file = inject('pgliteTemplate');
  if (file === undefined || file === '') return undefined;
  template ??= readFile(file).then((bytes) => new Blob([bytes]));
  return openInMemory(await PGlite.create({ loadDataDir: await template }));
};
