import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

/** A Bundle whose text is about `bytes` long, of random (so incompressible) note text. */
const largeBundle = (bytes: number) => ({
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    {
      resource: {
        resourceType: 'DocumentReference',
        status: 'current',
        description: randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64'),
      },
    },
  ],
});

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

  it('keeps a 300 KB file uncompressed and serves it as it was stored', async () => {
    const link = (
      await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: largeBundle(300_000), direct: true },
      })
    ).json();
    const stored = await sql<{ jwe: string; compression: string | null; bytes: number }>`
      select f.jwe, pg_column_compression(f.jwe) as compression, pg_column_size(f.jwe) as bytes
      from shl_files f where f.link_id = ${link.id}`.execute(t.db);
    expect(stored.rows).toHaveLength(1);
    const [row] = stored.rows;
    expect(row?.compression).toBeNull();
    // Uncompressed: the stored size is the text's length plus a small header, not less.
    expect(Number(row?.bytes)).toBeGreaterThanOrEqual(row?.jwe.length ?? Infinity);
    const served = await t.app.inject({ url: `/shl/${link.id}?recipient=r` });
    expect(served.statusCode).toBe(200);
    expect(served.body).toBe(row?.jwe);
  });
});
