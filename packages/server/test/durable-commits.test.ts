import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { WalFlusher } from '../src/db/durable-commits.js';
import { openDatabase } from '../src/db/open-database.js';

// The embedded database's commit flushes (src/db/durable-commits.ts) across WAL segment switches: at each
// one PostgreSQL syncs the full segment and closes it while other commits' flushes may be running.
describe('durable embedded commits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shlkit-commits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('acknowledges every concurrent write across several 16 MB WAL segments, and all of them are there after a reopen', async () => {
    const db = await openDatabase({
      databaseUrl: undefined,
      dataDir: dir,
      dbConnectTimeoutMs: 5000,
      dbStatementTimeoutMs: 30_000,
    });
    await sql`create table blobs (id serial primary key, body text)`.execute(db);
    // Random base64 does not compress much: 48 rows of 1 MB fill about three WAL segments.
    const rows = 48;
    let next = 0;
    const writer = async (): Promise<void> => {
      while (next < rows) {
        next += 1;
        await sql`insert into blobs (body) values (${randomBytes(768 * 1024).toString('base64')})`.execute(
          db,
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, () => writer()));
    const wal = await sql<{ segments: number }>`select count(*)::int as segments from pg_ls_waldir()`.execute(
      db,
    );
    expect(wal.rows[0]?.segments).toBeGreaterThanOrEqual(2);
    // A write after the switches still goes through (no closed descriptor left queued for a flush).
    await sql`insert into blobs (body) values ('after')`.execute(db);
    await db.destroy();

    const reopened = await openDatabase({
      databaseUrl: undefined,
      dataDir: dir,
      dbConnectTimeoutMs: 5000,
      dbStatementTimeoutMs: 30_000,
    });
    const count = await sql<{ n: number }>`select count(*)::int as n from blobs`.execute(reopened);
    expect(count.rows[0]?.n).toBe(rows + 1);
    await reopened.destroy();
  }, 120_000);
});

describe('the WAL flusher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shlkit-flusher-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('syncs a segment PostgreSQL closes while a flush runs, so no closed descriptor is queued for the next flush', async () => {
    const flusher = new WalFlusher();
    const segment = openSync(join(dir, 'segment'), 'w');
    const next = openSync(join(dir, 'next'), 'w');
    let closed = false;
    // A commit asks for a sync of the segment and waits: the flush runs off the event loop.
    const first = flusher.mark();
    flusher.request(segment);
    const waiting = flusher.waitDurable(first);
    // Meanwhile, as at a segment switch, PostgreSQL syncs the full segment, closes it and goes on in the next.
    const second = flusher.mark();
    flusher.request(segment);
    flusher.beforeClose(segment, () => {
      closeSync(segment);
      closed = true;
    });
    flusher.request(next);
    expect(closed).toBe(false);
    await waiting;
    expect(closed).toBe(true);
    await expect(flusher.waitDurable(second)).resolves.toBeUndefined();
    expect(flusher.counts().walSyncsInOrder).toBe(1);
    closeSync(next);
  });

  it('refuses every later write once an fsync failed, rather than retrying over a hole', async () => {
    const flusher = new WalFlusher();
    const mark = flusher.mark();
    flusher.request(2 ** 30); // a descriptor that is not open: fdatasync fails with EBADF
    await expect(flusher.waitDurable(mark)).rejects.toMatchObject({ code: 'EBADF' });
    const file = openSync(join(dir, 'after'), 'w');
    const later = flusher.mark();
    flusher.request(file);
    await expect(flusher.waitDurable(later)).rejects.toMatchObject({ code: 'EBADF' });
    expect(() => flusher.syncNow()).toThrow(expect.objectContaining({ code: 'EBADF' }));
    closeSync(file);
  });
});
