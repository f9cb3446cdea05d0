import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serveMany } from '../src/group-commit/serve-many.js';
import { lockLinks } from '../src/links/lock-links.js';
import { serveActiveLink } from '../src/manifests/serve-active-link.js';
import { describePostgres, postgresTargets } from './support/databases.js';
import { createLinkId, deferred, manifestRequest } from './support/serving.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Serving while an owner's change holds the link row (links/lock-links.ts says why the link is locked
 * first). Only PostgreSQL: the race needs two connections, one holding the link row while the serving
 * transaction waits on it.
 */
describePostgres.each(postgresTargets())('group commit under concurrent owner changes on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  /** Waits until some backend of this database waits on a lock (the batch statement on the link row). */
  const untilSomeoneWaitsOnALock = async (): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
      if (Number(rows[0]?.n) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the batch never waited on the link row');
  };

  it('counts a use limit that the owner set while the batch waited for the link', async () => {
    const id = await createLinkId(t);
    const locked = deferred<void>();
    const gate = deferred<void>();
    // The owner's change (PATCH maxUses: 2), in a transaction that holds the link row for a moment.
    const owner = t.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`update shl_links set max_uses = 2 where id = ${id}`.execute(conn);
      locked.resolve();
      await gate.promise;
      await sql`commit`.execute(conn);
    });
    await locked.promise;
    const batch = serveMany(
      t.db,
      'manifest',
      new Date(t.clock.now()),
      Array.from({ length: 10 }, (_, n) => manifestRequest(id, `r${n}`)),
    );
    await untilSomeoneWaitsOnALock();
    gate.resolve();
    await owner;
    const served = (await batch).filter((result) => result !== undefined);
    const link = await t.db
      .selectFrom('shl_links')
      .select(['uses', 'max_uses'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const okRows = await t.db
      .selectFrom('shl_access_log')
      .select('id')
      .where('link_id', '=', id)
      .where('outcome', '=', 'ok')
      .execute();
    expect({
      served: served.length,
      uses: link.uses,
      okRows: okRows.length,
      maxUses: link.max_uses,
    }).toEqual({
      // The batch sees the new limit (it locked the link first): a use-limited link is served once per
      // batch, and the other nine are left to the one-request path, which serves up to the limit.
      served: 1,
      uses: 1,
      okRows: 1,
      maxUses: 2,
    });
  });

  /**
   * Runs `serve` while an owner's transaction (`change`) holds the link row, and commits the change
   * once `serve` waits on that row: the owner is told "done" before the serving statement commits.
   */
  const serveWhileOwnerCommits = async <T>(id: string, change: string, serve: () => Promise<T>) => {
    const locked = deferred<void>();
    const gate = deferred<void>();
    const owner = t.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`update shl_links set ${sql.raw(change)} where id = ${id}`.execute(conn);
      locked.resolve();
      await gate.promise;
      await sql`commit`.execute(conn);
    });
    await locked.promise;
    const served = serve();
    await untilSomeoneWaitsOnALock();
    gate.resolve();
    await owner;
    return served;
  };
  const okRowsOf = async (id: string) =>
    (
      await t.db
        .selectFrom('shl_access_log')
        .select('id')
        .where('link_id', '=', id)
        .where('outcome', '=', 'ok')
        .execute()
    ).length;

  it('does not serve a link (batch) whose revocation committed while the batch waited on its row', async () => {
    const id = await createLinkId(t);
    const results = await serveWhileOwnerCommits(id, 'revoked_at = now()', () =>
      serveMany(t.db, 'manifest', new Date(t.clock.now()), [manifestRequest(id, 'after revoke')]),
    );
    expect({ served: results.filter((r) => r !== undefined).length, okRows: await okRowsOf(id) }).toEqual({
      served: 0,
      okRows: 0,
    });
  });

  it('does not serve a link (one-request path: lock, then serve) whose revocation committed while it waited', async () => {
    const id = await createLinkId(t);
    const served = await serveWhileOwnerCommits(id, 'revoked_at = now()', () =>
      t.db.transaction().execute(async (trx) => {
        await lockLinks(trx, [id]);
        return serveActiveLink(trx, {
          linkId: id,
          recipient: 'after revoke',
          now: new Date(t.clock.now()),
          path: 'manifest',
          passcode: { kind: 'none' },
          longTermChecked: true,
        });
      }),
    );
    expect({ served: served !== undefined, okRows: await okRowsOf(id) }).toEqual({
      served: false,
      okRows: 0,
    });
  });
});
