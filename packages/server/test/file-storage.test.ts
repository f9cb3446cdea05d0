import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// Migration 0014 (decision 0008): a JWE is ciphertext, so the database's compression only costs time.
describe.each(testDatabases())('file storage on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  it('stores a file JWE out of line without compression (storage external)', async () => {
    const storage = await sql<{ attstorage: string }>`
      select a.attstorage from pg_attribute a
      where a.attrelid = 'shl_files'::regclass and a.attname = 'jwe'`.execute(t.db);
    expect(storage.rows).toEqual([{ attstorage: 'e' }]);
  });
});
