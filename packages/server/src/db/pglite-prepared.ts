import { type PGlite, parse, protocol } from '@electric-sql/pglite';
import type { CompiledQuery } from 'kysely';
import { type Rows, isStaleStatement } from './one-round-trip.js';

/** A backend message as PGlite's protocol parser gives it. */
type BackendMessage = Awaited<ReturnType<PGlite['execProtocol']>>['messages'][number];

/** A statement this PGlite has prepared, under `name`. */
interface Prepared {
  name: string;
  /** Type OIDs of the parameters, to serialise values as `PGlite.query` does. */
  paramTypes: number[];
  /** The row description, sent once at Describe: Bind and Execute do not send it again. */
  rowDescription: BackendMessage | undefined;
}

/** Statement texts held prepared at most; past it, all are deallocated and prepared again as used. */
const PREPARED_HELD = 256;

/** One runner per PGlite (see `preparedRunnerFor`). */
const runners = new WeakMap<PGlite, (statements: readonly CompiledQuery[]) => Promise<Rows[]>>();

/**
 * What runs compiled statements on an embedded PGlite as one transaction in one call into the database:
 * each statement text is parsed and planned once (a named prepared statement, as on PostgreSQL's serving
 * pool, db/one-round-trip.ts), and every later run sends only Bind and Execute. One per PGlite, so that
 * its statement names are never made twice.
 *
 * Why: `PGlite.query` sends Parse, Describe, Bind, Describe, Execute and Sync as five calls into the
 * WebAssembly module and plans the statement anew each time. Planning looks up the size of every table
 * and index the statement touches (11 indexes on `shl_links`), and each look-up is an `fstat` through
 * Emscripten's NODEFS: about 8 % of the server's busy CPU in a profile of manifest POSTs. Measured on one
 * in-process PGlite, a group-commit batch of 16 manifest requests (BEGIN, link locks, the serving
 * statement, COMMIT) took 3.5 to 4.0 ms sent as four queries and 1.3 to 1.5 ms sent this way
 * (decision 0011).
 *
 * The caller holds the database's one connection (pglite-dialect.ts); PGlite's own transaction and query
 * locks are taken besides, so that nothing else that talks to this PGlite runs in between, and a batch
 * never runs inside a transaction someone else opened.
 *
 * @returns one entry per statement, its rows as `PGlite.query` parses them.
 * @throws the first statement's error (a database error with its SQLSTATE `code`): then nothing took
 *   effect, because PostgreSQL skips the statements after it and rolls the transaction back. Error when
 *   PGlite is closing, or inside a transaction opened without its lock: then nothing was run. A prepared
 *   statement that no longer fits (a migration changed what it returns: SQLSTATE 0A000; class 26 when
 *   one is gone) is prepared again and the transaction run once more.
 */
export const preparedRunnerFor = (
  pglite: PGlite,
): ((statements: readonly CompiledQuery[]) => Promise<Rows[]>) => {
  let runner = runners.get(pglite);
  if (runner === undefined) {
    runner = createPreparedRunner(pglite);
    runners.set(pglite, runner);
  }
  return runner;
};

const createPreparedRunner = (pglite: PGlite) => {
  const prepared = new Map<string, Prepared>();
  let named = 0;

  const exchange = (messages: Uint8Array[]): Promise<BackendMessage[]> => {
    const bytes = new Uint8Array(messages.reduce((length, message) => length + message.length, 0));
    let offset = 0;
    for (const message of messages) {
      bytes.set(message, offset);
      offset += message.length;
    }
    // Files are written through to disk as PostgreSQL writes them; durability is the dialect's.
    return pglite.execProtocolStream(bytes, { syncToFs: false });
  };

  const forgetAll = async (): Promise<void> => {
    prepared.clear();
    await exchange([protocol.serialize.query('deallocate all')]);
  };

  const prepare = async (text: string): Promise<Prepared> => {
    const held = prepared.get(text);
    if (held !== undefined) return held;
    const name = `shlkit_${++named}`;
    const answer = await exchange([
      protocol.serialize.parse({ name, text }),
      protocol.serialize.describe({ type: 'S', name }),
      protocol.serialize.sync(),
    ]);
    const statement: Prepared = {
      name,
      paramTypes: parse.parseDescribeStatementResults(answer),
      rowDescription: answer.find((message) => message.name === 'rowDescription'),
    };
    prepared.set(text, statement);
    return statement;
  };

  const bind = (statement: Prepared, values: readonly unknown[]): Uint8Array =>
    protocol.serialize.bind({
      statement: statement.name,
      values: values.map((value, index) => {
        if (value === null || value === undefined) return null;
        const serializer = pglite.serializers[statement.paramTypes[index] as number];
        return serializer === undefined ? String(value) : serializer(value);
      }),
    });

  const runOnce = async (statements: readonly CompiledQuery[]): Promise<Rows[]> => {
    // Room first, so that no statement this run has chosen is deallocated under it.
    const missing = new Set(
      statements.map((statement) => statement.sql).filter((text) => !prepared.has(text)),
    );
    if (missing.size > 0 && prepared.size + missing.size > PREPARED_HELD) await forgetAll();
    const chosen: Prepared[] = [];
    for (const statement of statements) chosen.push(await prepare(statement.sql));
    // Bind and Execute for each, and one Sync after the last: PostgreSQL runs everything before a Sync as
    // one implicit transaction, commits it at the Sync, and after any error skips the rest and rolls all
    // of it back. No BEGIN or COMMIT of our own, whose failure could leave the others to commit alone.
    const answer = await exchange([
      ...statements.flatMap((statement, index) => [
        bind(chosen[index] as Prepared, statement.parameters),
        protocol.serialize.execute({}),
      ]),
      protocol.serialize.sync(),
    ]);
    // Each Execute that ran to its end answers CommandComplete after its rows.
    const results: Rows[] = [];
    let current: BackendMessage[] = [];
    for (const message of answer) {
      if (message.name === 'bindComplete' || message.name === 'readyForQuery') continue;
      current.push(message);
      if (message.name !== 'commandComplete') continue;
      const description = chosen[results.length]?.rowDescription;
      const [result] = parse.parseResults(
        description === undefined ? current : [description, ...current],
        pglite.parsers,
      );
      results.push((result?.rows ?? []) as Rows);
      current = [];
    }
    if (results.length !== statements.length)
      throw new Error(`PGlite answered ${results.length} of ${statements.length} statements`);
    return results;
  };

  return async (statements: readonly CompiledQuery[]): Promise<Rows[]> => {
    await pglite.waitReady;
    // PGlite's transaction lock, then its query lock, in the order `PGlite.transaction` takes them: a
    // transaction opened with `PGlite.transaction` ends before this batch starts.
    return pglite._runExclusiveTransaction(() =>
      pglite.runExclusive(async () => {
        // Past `waitReady`, not ready means closing or closed: `close` ends the backend outside the lock.
        if (!pglite.ready) throw new Error('PGlite is closing or closed');
        // A BEGIN sent without that lock (a plain `query('begin')`) would make the Sync below commit
        // nothing: the batch would belong to that transaction and could be rolled back with it, after
        // its answers went out as durable. Refused instead, with nothing run.
        if (pglite.isInTransaction()) {
          throw new Error('PGlite is inside a transaction another caller opened; the batch was not run');
        }
        try {
          return await runOnce(statements);
        } catch (error) {
          // Nothing took effect (the whole transaction was rolled back): prepare afresh and run it again.
          const code = (error as { code?: unknown } | null)?.code;
          if (typeof code !== 'string' || !isStaleStatement(code)) throw error;
          // When even the deallocation fails, the statement's own error, with its SQLSTATE, is the one that
          // says what went wrong.
          await forgetAll().catch(() => {
            throw error;
          });
          return runOnce(statements);
        }
      }),
    );
  };
};
