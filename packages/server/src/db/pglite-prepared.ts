import { type PGlite, parse, protocol } from '@electric-sql/pglite';
import type { CompiledQuery } from 'kysely';
import type { Rows } from './one-round-trip.js';

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

/** Codes by which PostgreSQL refuses a prepared statement that no longer fits (see one-round-trip.ts). */
const isStaleStatement = (code: unknown): boolean =>
  typeof code === 'string' && (code.startsWith('26') || code === '0A000' || code === '42P05');

/**
 * Runs compiled statements on an embedded PGlite as one transaction in one call into the database: each
 * statement text is parsed and planned once (a named prepared statement, as on PostgreSQL's serving
 * pool, db/one-round-trip.ts), and every later run sends only Bind and Execute.
 *
 * Why: `PGlite.query` sends Parse, Describe, Bind, Describe, Execute and Sync as five calls into the
 * WebAssembly module and plans the statement anew each time. Planning looks up the size of every table
 * and index the statement touches (11 indexes on `shl_links`), and each look-up is an `fstat` through
 * Emscripten's NODEFS: about 8 % of the server's busy CPU in a profile of manifest POSTs. Measured on one
 * in-process PGlite, a group-commit batch of 16 manifest requests (BEGIN, link locks, the serving
 * statement, COMMIT) took 3.7 to 4.0 ms sent as four queries and 1.35 to 1.6 ms sent this way
 * (decision 0011).
 *
 * The caller holds the database's one connection (pglite-dialect.ts); PGlite's own query lock is taken
 * besides, so that nothing else that talks to this PGlite runs in between.
 *
 * @returns one entry per statement, its rows as `PGlite.query` parses them.
 * @throws the first statement's error (a database error with its SQLSTATE `code`): then nothing took
 *   effect, because the statements after it are refused and the COMMIT rolls back. A prepared statement
 *   that no longer fits (a migration changed what it returns: SQLSTATE 0A000) is prepared again and the
 *   transaction run once more.
 */
export const createPreparedRunner = (pglite: PGlite) => {
  const prepared = new Map<string, Prepared>();
  let named = 0;

  const exchange = async (messages: Uint8Array[]): Promise<BackendMessage[]> => {
    const bytes = new Uint8Array(messages.reduce((length, message) => length + message.length, 0));
    let offset = 0;
    for (const message of messages) {
      bytes.set(message, offset);
      offset += message.length;
    }
    // Files are written through to disk as PostgreSQL writes them; durability is the dialect's.
    return (await pglite.execProtocol(bytes, { syncToFs: false })).messages;
  };

  const forgetAll = async (): Promise<void> => {
    prepared.clear();
    await exchange([protocol.serialize.query('deallocate all')]);
  };

  const prepare = async (text: string): Promise<Prepared> => {
    const held = prepared.get(text);
    if (held !== undefined) return held;
    if (prepared.size >= PREPARED_HELD) await forgetAll();
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

  const bindAndExecute = (statement: Prepared, values: readonly unknown[]): Uint8Array[] => [
    protocol.serialize.bind({
      statement: statement.name,
      values: values.map((value, index) => {
        if (value === null || value === undefined) return null;
        const serializer = pglite.serializers[statement.paramTypes[index] as number];
        return serializer === undefined ? String(value) : serializer(value);
      }),
    }),
    protocol.serialize.execute({}),
    // A Sync after each: a failed statement ends its own exchange, and PostgreSQL refuses the rest of the
    // transaction until the COMMIT, which it answers with ROLLBACK.
    protocol.serialize.sync(),
  ];

  const runOnce = async (statements: readonly CompiledQuery[]): Promise<Rows[]> => {
    const own = statements.length > 1;
    const all: Array<{ sql: string; parameters: readonly unknown[] }> = own
      ? [{ sql: 'begin', parameters: [] }, ...statements, { sql: 'commit', parameters: [] }]
      : [...statements];
    const chosen: Prepared[] = [];
    for (const statement of all) chosen.push(await prepare(statement.sql));
    const answer = await exchange(
      all.flatMap((statement, index) => bindAndExecute(chosen[index] as Prepared, statement.parameters)),
    );
    // One ReadyForQuery ends each statement's exchange.
    const results: Array<{ rows: Rows; command: string | undefined }> = [];
    let current: BackendMessage[] = [];
    for (const message of answer) {
      if (message.name !== 'readyForQuery') {
        current.push(message);
        continue;
      }
      const description = chosen[results.length]?.rowDescription;
      const [result] = parse.parseResults(
        description === undefined ? current : [description, ...current],
        pglite.parsers,
      );
      results.push({ rows: (result?.rows ?? []) as Rows, command: result?.command });
      current = [];
    }
    if (results.length !== all.length)
      throw new Error(`PGlite answered ${results.length} of ${all.length} statements`);
    // Belt and braces: a COMMIT of a failed transaction answers ROLLBACK, not an error.
    if (own && results.at(-1)?.command !== 'COMMIT') throw new Error('the transaction was rolled back');
    return (own ? results.slice(1, -1) : results).map((result) => result.rows);
  };

  return async (statements: readonly CompiledQuery[]): Promise<Rows[]> => {
    await pglite.waitReady;
    return pglite.runExclusive(async () => {
      // Past `waitReady`, not ready means closing or closed: `close` ends the backend outside the lock.
      if (!pglite.ready) throw new Error('PGlite is closing or closed');
      try {
        return await runOnce(statements);
      } catch (error) {
        if (!isStaleStatement((error as { code?: unknown } | null)?.code)) throw error;
        await forgetAll();
        return runOnce(statements);
      }
    });
  };
};
