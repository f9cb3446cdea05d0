import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLinksQuery } from '../src/links/links.repository.js';
import { testDatabases } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const patient = { resourceType: 'Patient', id: 'p1' };

interface Page {
  links: { id: string; label: string | null; expiresAt: number | null; lastAccessAt: string | null }[];
  nextCursor: string | null;
}

describe.each(testDatabases())('GET /api/links search, sort and pages on $name', (target) => {
  let t: TestApp;
  const ids: string[] = [];
  beforeAll(async () => {
    t = await startTestApp(target);
    // Five links, created a second apart; expiries out of creation order; accessed in another order.
    const labels = ['Alpha clinic', 'beta CLINIC', '100% sure', 'under_score', null];
    const expiries = [2_000_000_300, null, 2_000_000_100, 2_000_000_200, 2_000_000_100];
    for (const [i, label] of labels.entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: {
          content: patient,
          ...(label === null ? {} : { label }),
          ...(expiries[i] === null ? {} : { expiresAt: expiries[i] }),
        },
      });
      ids.push(res.json().id);
      t.clock.advance(1000);
    }
    for (const index of [3, 0, 1]) {
      await t.app.inject({ method: 'POST', url: `/shl/${ids[index]}`, payload: { recipient: 'r' } });
      t.clock.advance(1000);
    }
  });
  afterAll(() => t?.close());

  const list = async (query: string): Promise<Page> => {
    const res = await t.app.inject({ url: `/api/links?${query}`, headers: AUTH });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  /** Every id, following nextCursor two at a time. */
  const walk = async (query: string): Promise<string[]> => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(
        `${query}&limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      seen.push(...page.links.map((link) => link.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return seen;
  };
  const byIndex = (...indexes: number[]) => indexes.map((i) => ids[i]);

  it('searches labels as a case-insensitive substring, with % and _ standing for themselves', async () => {
    expect((await list('q=clinic')).links.map((l) => l.id)).toEqual(byIndex(1, 0));
    expect((await list('q=%25')).links.map((l) => l.id)).toEqual(byIndex(2));
    expect((await list('q=_')).links.map((l) => l.id)).toEqual(byIndex(3));
    expect((await list('q=nothing')).links).toEqual([]);
  });

  it('sorts by created, expiry and last access both ways, across pages', async () => {
    expect(await walk('sort=created&order=desc')).toEqual(byIndex(4, 3, 2, 1, 0));
    expect(await walk('order=asc')).toEqual(byIndex(0, 1, 2, 3, 4));
    // No expiry sorts as the latest; equal expiries by creation.
    expect(await walk('sort=expires&order=asc')).toEqual(byIndex(2, 4, 3, 0, 1));
    expect(await walk('sort=expires&order=desc')).toEqual(byIndex(1, 0, 3, 4, 2));
    // Never accessed sorts as the earliest; ties by id.
    const never = [ids[2], ids[4]].sort() as string[];
    expect(await walk('sort=lastAccess&order=desc')).toEqual([...byIndex(1, 0, 3), ...[...never].reverse()]);
    expect(await walk('sort=lastAccess&order=asc')).toEqual([...never, ...byIndex(3, 0, 1)]);
    expect(await walk('sort=lastAccess&q=clinic')).toEqual(byIndex(1, 0));
  });

  it('refuses a cursor of another sort or order, or one it did not hand out (SHL_INVALID_CURSOR)', async () => {
    const { nextCursor } = await list('sort=expires&limit=1');
    for (const query of [
      `sort=created&cursor=${nextCursor}`,
      `sort=expires&order=asc&cursor=${nextCursor}`,
      'cursor=123',
      'cursor=not-a-cursor',
    ]) {
      const res = await t.app.inject({ url: `/api/links?${query}`, headers: AUTH });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'SHL_INVALID_CURSOR', field: 'cursor' });
    }
  });
});

describe.each(testDatabases())('GET /api/links at 100,000 links on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
    const started = performance.now();
    await sql`insert into shl_links (id, label, flags, expires_at, created_at, updated_at)
      select 'bulk-' || lpad(i::text, 38, '0'), 'bulk link ' || i, '',
        case when i % 3 = 0 then null else 2000000000 + i % 1000 end, now(), now()
      from generate_series(1, 100000) i`.execute(t.db);
    await sql`insert into shl_link_activity (link_id, last_access_ms)
      select id, case when seq % 2 = 0 then seq * 1000 else 0 end from shl_links`.execute(t.db);
    await sql`analyze`.execute(t.db);
    console.info(`${target.name}: 100,000 links inserted in ${Math.round(performance.now() - started)} ms`);
  }, 120_000);
  afterAll(() => t?.close());

  it.each([
    ['created', 'shl_links_seq_key'],
    ['expires', 'shl_links_expiry'],
    ['lastAccess', 'shl_link_activity_last_access'],
  ] as const)('sorting by %s walks the index %s', async (sort, index) => {
    for (const order of ['asc', 'desc'] as const) {
      const query = listLinksQuery(t.db, { sort, order, limit: 51, now: new Date(t.clock.now()) });
      const plan = (await query.explain()).map((row) => String(Object.values(row)[0])).join('\n');
      expect(plan).toContain(index);
      const started = performance.now();
      const res = await t.app.inject({
        url: `/api/links?sort=${sort}&order=${order}&limit=50`,
        headers: AUTH,
      });
      expect(res.json().links).toHaveLength(50);
      const page2 = await t.app.inject({
        url: `/api/links?sort=${sort}&order=${order}&limit=50&cursor=${res.json().nextCursor}`,
        headers: AUTH,
      });
      expect(page2.json().links).toHaveLength(50);
      console.info(
        `${target.name}: sort=${sort}&order=${order}, two pages of 50 of 100,000 in ${Math.round(performance.now() - started)} ms`,
      );
    }
  });
});
