import { type RawBuilder, sql } from 'kysely';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { PGlite } from '@electric-sql/pglite';
import { runTransaction } from '../src/db/one-round-trip.js';
import { openDatabase, openInMemory, poolStatsOf } from '../src/db/open-database.js';
import type { Database } from '../src/db/schema.js';
import { describePostgres, postgresTargets, testDatabases } from './support/databases.js';

/**
 * Records, until `stop`, the bytes of each write a TCP socket of this process hands to the system. The
 * test picks out its own transaction's writes by their text, so that another socket writing meanwhile
 * (an idle connection closing, say) does not count.
 */
const recordSocketWrites = () => {
  const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  const originals = { _write: proto._write, _writev: proto._writev };
  const writes: string[] = [];
  proto._write = function (this: unknown, ...args: unknown[]) {
    writes.push(String(args[0]));
    return originals._write.apply(this, args);
  };
  proto._writev = function (this: unknown, ...args: unknown[]) {
    const chunks = args[0] as Array<{ chunk: unknown }>;
    writes.push(chunks.map(({ chunk }) => String(chunk)).join(''));
    return originals._writev.apply(this, args);
  };
  return {
    writes,
    stop: () => Object.assign(proto, originals),
  };
};

// runTransaction (src/db/one-round-trip.ts) carries the group commit's statements: on PostgreSQL pipelined
// in one round trip on the serving pool, on the embedded database in one call into PGlite (both with
// prepared statements). Either way they must be one transaction, all or nothing, in the order given.
describe.each(testDatabases())('runTransaction on $name', (target) => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await target.create();
    drop = created.drop;
    db = await openDatabase(loadConfig({ SHL_DEMO: 'false', ...created.env }));
    await sql`create table counters (id text primary key, n integer not null)`.execute(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await drop?.();
  });

  const compiled = (query: RawBuilder<unknown>) => query.compile(db);

  it('runs every statement in one transaction, in the order given, and returns each one’s rows', async () => {
    await sql`insert into counters values ('a', 0)`.execute(db);
    const [first, second, third] = await runTransaction(db, [
      compiled(sql`select txid_current() as tx`),
      compiled(sql`update counters set n = n + ${5} where id = ${'a'} returning n`),
      compiled(sql`select txid_current() as tx, (select n from counters where id = 'a') as n`),
    ]);
    expect(first).toHaveLength(1);
    expect(third?.[0]?.tx).toBe(first?.[0]?.tx);
    expect(second).toEqual([{ n: 5 }]);
    expect(third?.[0]?.n).toBe(5);
  });

  it('keeps nothing when a later statement fails, and throws that statement’s error', async () => {
    await sql`insert into counters values ('b', 0)`.execute(db);
    await expect(
      runTransaction(db, [
        compiled(sql`update counters set n = 1 where id = 'b'`),
        compiled(sql`insert into counters values (${'b'}, 2)`),
        compiled(sql`update counters set n = 3 where id = 'b'`),
      ]),
    ).rejects.toMatchObject({ code: '23505' });
    const row = await sql<{ n: number }>`select n from counters where id = 'b'`.execute(db);
    expect(row.rows).toEqual([{ n: 0 }]);
    // The connection is usable afterwards: the failed transaction did not linger on it.
    for (let round = 0; round < 8; round++) {
      const [rows] = await runTransaction(db, [compiled(sql`select ${round}::int as round`)]);
      expect(rows).toEqual([{ round }]);
    }
  });

  // Only PostgreSQL has a socket; registered there alone, so that no test shows as skipped.
  if (target.name === 'PostgreSQL')
    it('sends a transaction’s statements to PostgreSQL in one write (one system call, one wake-up)', async () => {
      // Connections open and statements prepared first: those writes are not the ones counted.
      const batch = () => runTransaction(db, [compiled(sql`select 1 as a`), compiled(sql`select 2 as b`)]);
      await Promise.all([batch(), batch(), batch(), batch(), batch(), batch()]);
      const recorded = recordSocketWrites();
      try {
        const [a, b] = await batch();
        expect([a, b]).toEqual([[{ a: 1 }], [{ b: 2 }]]);
      } finally {
        recorded.stop();
      }
      // BEGIN, two statements and COMMIT: four writes when `pg` writes each by itself.
      const ours = recorded.writes.filter((bytes) => /begin|commit/.test(bytes));
      expect(ours).toHaveLength(1);
      expect(ours[0]).toMatch(/begin[^]*shlkit_[0-9a-f]{24}[^]*shlkit_[0-9a-f]{24}[^]*commit/);
    });

  it('runs the same statement text with new parameters every time (a prepared statement is reused)', async () => {
    await sql`insert into counters values ('c', 0)`.execute(db);
    for (let round = 1; round <= 12; round++) {
      const [, rows] = await runTransaction(db, [
        compiled(sql`select 1`),
        compiled(sql`update counters set n = n + ${round} where id = ${'c'} returning n`),
      ]);
      expect(rows).toEqual([{ n: (round * (round + 1)) / 2 }]);
    }
  });

  it('runs batches on separate connections at once without mixing their transactions', async () => {
    await sql`insert into counters values ('d', 0)`.execute(db);
    const batches = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        runTransaction(db, [
          compiled(sql`select txid_current() as tx`),
          compiled(sql`update counters set n = n + 1 where id = 'd'`),
          compiled(sql`select txid_current() as tx, ${index}::int as index`),
        ]),
      ),
    );
    const transactions = batches.map(([first, , last], index) => {
      expect(last?.[0]?.index).toBe(index);
      expect(last?.[0]?.tx).toBe(first?.[0]?.tx);
      return String(first?.[0]?.tx);
    });
    expect(new Set(transactions).size).toBe(12);
    const row = await sql<{ n: number }>`select n from counters where id = 'd'`.execute(db);
    expect(row.rows).toEqual([{ n: 12 }]);
  });

  it('answers right after a migration changed what a prepared statement returns (on a fresh connection)', async () => {
    await sql`create table shapes (a integer)`.execute(db);
    await sql`insert into shapes values (1)`.execute(db);
    // Several batches at once, so that more than one connection has the statement prepared.
    const batch = () => runTransaction(db, [compiled(sql`select * from shapes`)]);
    for (let round = 0; round < 3; round++) {
      expect((await Promise.all([batch(), batch(), batch()])).map(([rows]) => rows)).toEqual([
        [{ a: 1 }],
        [{ a: 1 }],
        [{ a: 1 }],
      ]);
    }
    // The statement prepared on those connections (on PGlite, the one connection) now fails with 0A000
    // ("cached plan must not change result type"). Nothing took effect, so the batch runs again: on
    // PostgreSQL on a connection that prepares afresh, the stale ones closed; on PGlite after its
    // statements are deallocated.
    await sql`alter table shapes add column b integer default 2`.execute(db);
    for (let round = 0; round < 3; round++) {
      expect((await Promise.all([batch(), batch(), batch()])).map(([rows]) => rows)).toEqual([
        [{ a: 1, b: 2 }],
        [{ a: 1, b: 2 }],
        [{ a: 1, b: 2 }],
      ]);
    }
  });
});

describe('runTransaction on the embedded database', () => {
  let pglite: PGlite;
  let db: Database;
  beforeAll(async () => {
    pglite = await PGlite.create();
    db = openInMemory(pglite);
    await sql`create table counters (id text primary key, n integer not null)`.execute(db);
    await sql`insert into counters values ('a', 0)`.execute(db);
  });
  afterAll(() => db?.destroy());

  /** Counts the calls into PGlite's WebAssembly module (every query goes through one of these two). */
  const countCalls = () => {
    let calls = 0;
    const originals = { execProtocol: pglite.execProtocol, execProtocolStream: pglite.execProtocolStream };
    for (const method of ['execProtocol', 'execProtocolStream'] as const) {
      const original = originals[method] as (...args: unknown[]) => unknown;
      Object.assign(pglite, {
        [method]: (...args: unknown[]) => {
          calls += 1;
          return original.apply(pglite, args);
        },
      });
    }
    return { calls: () => calls, stop: () => Object.assign(pglite, originals) };
  };

  it('sends a transaction in one call, each statement text parsed and planned once', async () => {
    const batch = (step: number) =>
      runTransaction(db, [
        sql`select txid_current() as tx`.compile(db),
        sql`update counters set n = n + ${step} where id = ${'a'} returning n`.compile(db),
      ]);
    await batch(1);
    const counted = countCalls();
    let results: Awaited<ReturnType<typeof batch>>[];
    try {
      results = [await batch(2), await batch(3), await batch(4)];
    } finally {
      counted.stop();
    }
    expect(results.map(([, rows]) => rows)).toEqual([[{ n: 3 }], [{ n: 6 }], [{ n: 10 }]]);
    // Both statements in one call per batch; `PGlite.query` makes five calls for each statement.
    expect(counted.calls()).toBe(3);
    const held = await sql<{ n: string | number }>`select count(*) as n from pg_prepared_statements
      where statement like '%counters%' or statement like '%txid_current%'`.execute(db);
    expect(Number(held.rows[0]?.n)).toBe(2);
  });

  it('counts exactly while more statement texts come by than it holds prepared (it deallocates and prepares again)', async () => {
    await sql`insert into counters values ('many', 0)`.execute(db);
    // 300 texts, past the 256 held: each batch's first statement is new, its second one already held.
    for (let round = 0; round < 300; round++) {
      const [first, second] = await runTransaction(db, [
        sql.raw(`select ${round} as round`).compile(db),
        sql`update counters set n = n + 1 where id = ${'many'} returning n`.compile(db),
      ]);
      expect(first).toEqual([{ round }]);
      expect(second).toEqual([{ n: round + 1 }]);
    }
    const held = await sql<{ n: string | number }>`select count(*) as n from pg_prepared_statements`.execute(
      db,
    );
    expect(Number(held.rows[0]?.n)).toBeLessThanOrEqual(256);
  });

  const countOf = async (id: string): Promise<number | undefined> => {
    const rows = await sql<{ n: number }>`select n from counters where id = ${id}`.execute(db);
    return rows.rows[0]?.n;
  };
  const bump = (id: string) =>
    runTransaction(db, [sql`update counters set n = n + 1 where id = ${id} returning n`.compile(db)]);

  it('waits for a transaction opened with PGlite.transaction, and commits apart from it', async () => {
    await sql`insert into counters values ('apart', 0)`.execute(db);
    let end!: () => void;
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const other = pglite.transaction(async (tx) => {
      await tx.query(`update counters set n = n + 100 where id = 'apart'`);
      opened();
      await ended;
      await tx.rollback();
    });
    await isOpen;
    const batch = bump('apart');
    const early = await Promise.race([
      batch.then(() => 'answered'),
      new Promise((resolve) => setTimeout(resolve, 200, 'waiting')),
    ]);
    end();
    await other;
    // Run inside the other transaction, the batch would have answered at once and been rolled back with it.
    expect(early).toBe('waiting');
    expect(await batch).toEqual([[{ n: 1 }]]);
    expect(await countOf('apart')).toBe(1);
  });

  it('refuses to run inside a transaction begun without PGlite’s lock, and runs nothing', async () => {
    await sql`insert into counters values ('refused', 0)`.execute(db);
    await pglite.query('begin');
    try {
      await expect(bump('refused')).rejects.toThrow(/inside a transaction/);
    } finally {
      await pglite.query('rollback');
    }
    expect(await countOf('refused')).toBe(0);
    await bump('refused');
    expect(await countOf('refused')).toBe(1);
  });

  it('reports the statement’s own error when the deallocation after it fails too', async () => {
    const original = pglite.execProtocolStream;
    // Only the deallocation after the refusal fails (one made earlier to make room would succeed).
    let refused = false;
    Object.assign(pglite, {
      execProtocolStream: (message: Uint8Array, options: unknown) => {
        const text = Buffer.from(message).toString('latin1');
        if (refused && text.includes('deallocate all')) {
          return Promise.reject(new Error('deallocation failed'));
        }
        if (text.includes('stale_marker')) {
          refused = true;
          const stale = Object.assign(new Error('cached plan must not change result type'), {
            code: '0A000',
          });
          return Promise.reject(stale);
        }
        return original.call(pglite, message, options as Parameters<typeof original>[1]);
      },
    });
    try {
      await expect(
        runTransaction(db, [sql.raw('select 1 as stale_marker').compile(db)]),
      ).rejects.toMatchObject({
        code: '0A000',
      });
    } finally {
      Object.assign(pglite, { execProtocolStream: original });
    }
  });
});

describe('a handle on the embedded database used only for batches', () => {
  it('closes PGlite on db.destroy() (Kysely itself never ran a query on it)', async () => {
    const pglite = await PGlite.create();
    const db = openInMemory(pglite);
    expect(await runTransaction(db, [sql`select 1 as one`.compile(db)])).toEqual([[{ one: 1 }]]);
    await db.destroy();
    expect(pglite.closed).toBe(true);
  });

  it('closes PGlite on db.destroy() when it ran nothing at all', async () => {
    const pglite = await PGlite.create();
    await openInMemory(pglite).destroy();
    expect(pglite.closed).toBe(true);
  });
});

describePostgres.each(postgresTargets())('the connections metric on $name', (target) => {
  it('counts the serving pool’s connections beside the main pool’s (shlkit_db_pool_connections)', async () => {
    const created = await target.create();
    const db = await openDatabase(loadConfig({ SHL_DEMO: 'false', ...created.env }));
    try {
      // A fresh handle: the main pool opens connections only when Kysely runs a query, and none has.
      expect(poolStatsOf(db)).toEqual({ active: 0, idle: 0, waiting: 0 });
      await runTransaction(db, [sql`select 1 as one`.compile(db)]);
      expect(poolStatsOf(db)).toEqual({ active: 0, idle: 1, waiting: 0 });
      await sql`select 1`.execute(db);
      expect(poolStatsOf(db)).toEqual({ active: 0, idle: 2, waiting: 0 });
    } finally {
      await db.destroy();
      await created.drop();
    }
  });
});
