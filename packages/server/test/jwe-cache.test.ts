import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJweCache, JWE_CACHE_ENTRY_BYTES, JWE_CACHE_MIN_LENGTH } from '../src/files/jwe-cache.js';
import { serveMany } from '../src/group-commit/serve-many.js';
import type { StoredFile } from '../src/links/links.repository.js';
import { testDatabases } from './support/databases.js';
import { accessLogOf, createLinkId, locationBatchRequests, manifestRequest } from './support/serving.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const file = (id: string, length: number): StoredFile => ({
  id,
  position: 0,
  contentType: 'application/fhir+json',
  jwe: 'x'.repeat(length),
  lastUpdated: new Date(0),
});

describe('the JWE cache (files/jwe-cache.ts)', () => {
  it('holds files by id and gives back only those it holds', () => {
    const cache = createJweCache({ maxBytes: 10_000, minLength: 0 });
    const a = file('a', 100);
    cache.keep([a], 'link-1');
    const taken = cache.take(['a', 'b']);
    expect([...taken.keys()]).toEqual(['a']);
    expect(taken.get('a')).toBe(a);
    expect(cache.fileIdsOf('link-1')).toEqual(['a']);
    expect(cache.fileIdsOf('link-2')).toEqual([]);
  });

  // Each file counts twice its length plus JWE_CACHE_ENTRY_BYTES.
  const entry = (length: number) => 2 * length + JWE_CACHE_ENTRY_BYTES;

  it('stays within its bytes (each file counted twice, plus its entry), dropping the least recently used first', () => {
    // Three fit, a fourth pushes one out.
    const cache = createJweCache({ maxBytes: 3 * entry(1000), minLength: 0 });
    cache.keep([file('a', 1000)]);
    cache.keep([file('b', 1000)]);
    cache.keep([file('c', 1000)]);
    cache.take(['a']);
    cache.keep([file('d', 1000)]);
    expect([...cache.take(['a', 'b', 'c', 'd']).keys()].sort()).toEqual(['a', 'c', 'd']);
  });

  it('does not keep a file larger than its whole budget, nor let it push others out', () => {
    const cache = createJweCache({ maxBytes: 3 * entry(1000), minLength: 0 });
    cache.keep([file('a', 1000)]);
    cache.keep([file('huge', 1.5 * entry(1000))]);
    expect([...cache.take(['a', 'huge']).keys()]).toEqual(['a']);
  });

  it('holds a file at most ttlMs after it was read, asked for or not', () => {
    let clock = 0;
    const cache = createJweCache({ maxBytes: 10_000, ttlMs: 1000, minLength: 0, now: () => clock });
    cache.keep([file('a', 10)]);
    clock = 999;
    expect([...cache.take(['a']).keys()]).toEqual(['a']);
    clock = 1000;
    expect([...cache.take(['a']).keys()]).toEqual([]);
    // One never asked for again goes with the next sweep (at most every quarter of ttlMs): its bytes too.
    clock = 0;
    const swept = createJweCache({ maxBytes: 10_000, ttlMs: 1000, minLength: 0, now: () => clock });
    swept.keep([file('old', 1000)]);
    clock = 200;
    swept.keep([file('b', 1000)]);
    expect(swept.bytes()).toBe(2 * entry(1000));
    clock = 1100;
    swept.keep([file('c', 1000)]);
    expect(swept.bytes()).toBe(2 * entry(1000));
    expect([...swept.take(['old', 'b', 'c']).keys()]).toEqual(['b', 'c']);
  });

  it('lets go of files in time when no request comes', async () => {
    let clock = 0;
    const cache = createJweCache({ maxBytes: 10_000, ttlMs: 40, minLength: 0, now: () => clock });
    cache.keep([file('a', 1000)]);
    clock = 40;
    // No take or keep from here on: the cache's own timer (every ttlMs / 4) sweeps.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(cache.bytes()).toBe(0);
  });

  it('notes a link’s files only when told they are all of them', () => {
    const cache = createJweCache({ maxBytes: 10_000, minLength: 0 });
    cache.keep([file('a', 10), file('b', 10)], 'link-1');
    cache.keep([file('c', 10)]);
    expect(cache.fileIdsOf('link-1')).toEqual(['a', 'b']);
    cache.keep([file('c', 10)], 'link-1');
    expect(cache.fileIdsOf('link-1')).toEqual(['c']);
  });

  it('does not keep a JWE shorter than minLength (4,096 by default), but still notes its link’s files', () => {
    const cache = createJweCache();
    cache.keep([file('short', JWE_CACHE_MIN_LENGTH - 1), file('long', JWE_CACHE_MIN_LENGTH)], 'link-1');
    expect([...cache.take(['short', 'long']).keys()]).toEqual(['long']);
    expect(cache.bytes()).toBe(entry(JWE_CACHE_MIN_LENGTH));
    expect(cache.fileIdsOf('link-1')).toEqual(['short', 'long']);
  });
});

describe.each(testDatabases())('batches that send files with a JWE cache on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  const storedJwe = async (fileId: string) =>
    (await t.db.selectFrom('shl_files').select('jwe').where('id', '=', fileId).executeTakeFirstOrThrow()).jwe;

  it('sends the held file without reading it again, still logging and counting every request', async () => {
    const linkId = await createLinkId(t, { direct: true });
    const cache = createJweCache({ minLength: 0 });
    const request = { path: 'direct', linkId, recipient: 'r' } as const;
    const [first] = await serveMany(t.db, 'direct', new Date(t.clock.now()), [request], true, cache);
    const [read] = first?.files ?? [];
    expect(read?.jwe).toBe(await storedJwe(read?.id ?? ''));
    expect(cache.fileIdsOf(linkId)).toEqual([read?.id]);

    const again = await serveMany(t.db, 'direct', new Date(t.clock.now()), [request, request], true, cache);
    // The very object kept after the first batch: the statement left its JWE out.
    expect(again.map((result) => result?.files[0])).toEqual([read, read]);
    expect(again[0]?.files[0]).toBe(read);
    expect((await accessLogOf(t, linkId)).filter((row) => row.outcome === 'ok')).toHaveLength(3);
  });

  it('sends a link’s new file once its files were replaced, never the one it held', async () => {
    const linkId = await createLinkId(t, { direct: true });
    const cache = createJweCache({ minLength: 0 });
    const request = { path: 'direct', linkId, recipient: 'r' } as const;
    const [before] = await serveMany(t.db, 'direct', new Date(t.clock.now()), [request], true, cache);
    const old = before?.files[0];
    // As replaceLinkFiles does: the old row goes, a new one with a new id comes.
    await sql`insert into shl_files (id, link_id, position, content_type, jwe, last_updated)
      select 'replacement', link_id, 1, content_type, 'a.b.c.d.e', last_updated from shl_files
      where id = ${old?.id ?? ''}`.execute(t.db);
    await sql`delete from shl_files where id = ${old?.id ?? ''}`.execute(t.db);
    const [after] = await serveMany(t.db, 'direct', new Date(t.clock.now()), [request], true, cache);
    expect(after?.files.map((served) => [served.id, served.jwe])).toEqual([['replacement', 'a.b.c.d.e']]);
  });

  it('serves nothing from the cache for a link that was revoked', async () => {
    const linkId = await createLinkId(t, { direct: true });
    const cache = createJweCache({ minLength: 0 });
    const request = { path: 'direct', linkId, recipient: 'r' } as const;
    await serveMany(t.db, 'direct', new Date(t.clock.now()), [request], true, cache);
    await sql`update shl_links set revoked_at = now() where id = ${linkId}`.execute(t.db);
    expect(await serveMany(t.db, 'direct', new Date(t.clock.now()), [request], true, cache)).toEqual([
      undefined,
    ]);
  });

  it('embeds a manifest’s held files without reading them again, and a replaced file’s successor', async () => {
    const linkId = await createLinkId(t, {
      files: [
        { contentType: 'application/fhir+json', content: { resourceType: 'Patient', id: 'a' } },
        { contentType: 'application/fhir+json', content: { resourceType: 'Patient', id: 'b' } },
      ],
      content: undefined,
    });
    const cache = createJweCache({ minLength: 0 });
    const request = manifestRequest(linkId, 'r');
    const [first] = await serveMany(t.db, 'manifest', new Date(t.clock.now()), [request], false, cache);
    const read = first?.files ?? [];
    expect(read).toHaveLength(2);
    for (const served of read) expect(served.jwe).toBe(await storedJwe(served.id));
    expect(cache.fileIdsOf(linkId)).toEqual(read.map((served) => served.id));

    const [again] = await serveMany(t.db, 'manifest', new Date(t.clock.now()), [request], false, cache);
    expect(again?.files[0]).toBe(read[0]);
    expect(again?.files[1]).toBe(read[1]);

    // The second file replaced, as replaceLinkFiles does: a new row with a new id.
    const second = read[1]?.id ?? '';
    await sql`with gone as (delete from shl_files where id = ${second} returning *)
      insert into shl_files (id, link_id, position, content_type, jwe, last_updated)
      select 'successor', link_id, position, content_type, 'a.b.c.d.e', last_updated from gone`.execute(t.db);
    const [after] = await serveMany(t.db, 'manifest', new Date(t.clock.now()), [request], false, cache);
    expect(after?.files.map((served) => [served.id, served.jwe])).toEqual([
      [read[0]?.id, read[0]?.jwe],
      ['successor', 'a.b.c.d.e'],
    ]);
    expect(after?.files[0]).toBe(read[0]);
    expect((await accessLogOf(t, linkId)).filter((row) => row.outcome === 'ok')).toHaveLength(3);
  });

  it('leaves a manifest whose held file is over its cap to the one-request path', async () => {
    const linkId = await createLinkId(t);
    const cache = createJweCache({ minLength: 0 });
    const [first] = await serveMany(
      t.db,
      'manifest',
      new Date(t.clock.now()),
      [manifestRequest(linkId, 'r')],
      false,
      cache,
    );
    const length = first?.files[0]?.jwe.length ?? 0;
    expect(cache.fileIdsOf(linkId)).toHaveLength(1);
    // The cap is checked on the stored row, not on what the process holds.
    const capped = await serveMany(
      t.db,
      'manifest',
      new Date(t.clock.now()),
      [manifestRequest(linkId, 'r', length - 1), manifestRequest(linkId, 'r', length)],
      false,
      cache,
    );
    expect(capped[0]).toBeUndefined();
    expect(capped[1]?.files[0]).toBe(first?.files[0]);
  });

  it('serves `location` files from the cache by file id', async () => {
    const linkId = await createLinkId(t);
    const res = await t.app.inject({
      method: 'POST',
      url: `/shl/${linkId}`,
      payload: { recipient: 'r', embeddedLengthMax: 0 },
    });
    const requests = locationBatchRequests(linkId, res.json<{ files: Array<{ location: string }> }>().files);
    const cache = createJweCache({ minLength: 0 });
    const first = await serveMany(t.db, 'file', new Date(t.clock.now()), requests, true, cache);
    const read = first[0]?.files[0];
    expect(read?.jwe).toBe(await storedJwe(requests[0]?.fileId ?? ''));
    // Read one by one: the link's other files are unknown, so none is noted for it.
    expect(cache.fileIdsOf(linkId)).toEqual([]);
    const again = await serveMany(t.db, 'file', new Date(t.clock.now()), requests, true, cache);
    expect(again[0]?.files[0]).toBe(read);
  });
});
