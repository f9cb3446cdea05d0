import type { PGlite, Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { CommitDurability } from './durable-commits.js';
import type { Rows } from './one-round-trip.js';

/**
 * Kysely over PGlite. PGlite is one connection in the same process, so the driver hands it out to one
 * user at a time: a transaction (BEGIN ... COMMIT on the shared connection) must not interleave with
 * another request's statements.
 *
 * With `durability` (a data directory on disk, durable-commits.ts), a user that committed a write waits,
 * after handing the connection on, until that commit is on disk: Kysely returns the result only then, so
 * no answer goes out before what it acknowledges is durable, while the next request already runs.
 */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  readonly #durability: CommitDurability | undefined;
  readonly #onClosed: () => void;
  readonly #drivers: PGliteDriver[] = [];

  /** `onClosed` runs once the database is closed (the data directory's lock is let go there). */
  constructor(pglite: PGlite, durability?: CommitDurability, onClosed: () => void = () => {}) {
    this.#pglite = pglite;
    this.#durability = durability;
    this.#onClosed = onClosed;
  }

  /**
   * Runs statements as one transaction on the one connection, each parsed and planned once and all sent
   * in one call (pglite-prepared.ts), with the same turn-taking and durability as every other user: the
   * answer comes once the commit is on disk. For `runTransaction` (one-round-trip.ts); give it only
   * statements whose text is fixed.
   * @throws as `preparedRunnerFor`'s runner, or the durability error of the commit (durable-commits.ts).
   */
  async runTransaction(statements: readonly CompiledQuery[]): Promise<Rows[]> {
    const driver = this.#drivers[0];
    if (driver === undefined) throw new Error('PGlite dialect: no Kysely instance uses this dialect');
    return driver.runPrepared(statements);
  }

  /** The one connection as a pool of one: in use or idle, and how many callers wait for it. */
  connectionStats(): { active: number; idle: number; waiting: number } {
    const active = this.#drivers.some((driver) => driver.inUse) ? 1 : 0;
    const waiting = this.#drivers.reduce((sum, driver) => sum + driver.waiting, 0);
    return { active, idle: 1 - active, waiting };
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    const driver = new PGliteDriver(this.#pglite, this.#durability, this.#onClosed);
    this.#drivers.push(driver);
    return driver;
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

/**
 * PGlite attaches the failed statement to its errors (`query`, `params`, `queryOptions`): the parameters
 * are recipient names, labels, wrapped keys and whole encrypted files, and whatever prints or logs the
 * error would show them. They are removed where the error arises; PostgreSQL's own errors (`pg`) carry
 * none. The SQLSTATE `code`, message and position stay.
 */
const withoutStatement = (error: unknown): unknown => {
  if (typeof error === 'object' && error !== null) {
    for (const property of ['query', 'params', 'queryOptions']) {
      Reflect.deleteProperty(error, property);
    }
  }
  return error;
};

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    let result: Results<R>;
    try {
      result = await this.#pglite.query<R>(compiled.sql, [...compiled.parameters]);
    } catch (error) {
      throw withoutStatement(error);
    }
    return {
      rows: result.rows,
      ...(result.affectedRows === undefined ? {} : { numAffectedRows: BigInt(result.affectedRows) }),
    };
  }

  // eslint-disable-next-line require-yield -- streaming is not supported: the generator only throws.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect: streaming queries are not supported');
  }
}

class PGliteDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #connection: PGliteConnection;
  readonly #durability: CommitDurability | undefined;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;
  #waiting = 0;
  /** Where the WAL sync requests stood when the current user took the connection. */
  #mark = 0;
  /**
   * `runPrepared`'s runner, made at its first use: its module loads PGlite's protocol code, which a
   * server that never serves a batch from this database does not need.
   */
  #prepared: Promise<(statements: readonly CompiledQuery[]) => Promise<Rows[]>> | undefined;

  readonly #onClosed: () => void;

  constructor(pglite: PGlite, durability: CommitDurability | undefined, onClosed: () => void) {
    this.#pglite = pglite;
    this.#onClosed = onClosed;
    this.#connection = new PGliteConnection(pglite);
    this.#durability = durability;
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }

  get inUse(): boolean {
    return this.#release !== undefined;
  }

  get waiting(): number {
    return this.#waiting;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#waiting++;
    try {
      await previous;
    } finally {
      this.#waiting--;
    }
    this.#release = release;
    this.#mark = this.#durability?.mark() ?? 0;
    return this.#connection;
  }

  /** See `PGliteDialect.runTransaction`. */
  async runPrepared(statements: readonly CompiledQuery[]): Promise<Rows[]> {
    this.#prepared ??= import('./pglite-prepared.js').then(({ preparedRunnerFor }) =>
      preparedRunnerFor(this.#pglite),
    );
    const run = await this.#prepared;
    await this.acquireConnection();
    let rows: Rows[];
    try {
      rows = await run(statements);
    } catch (error) {
      // The statement's error is the one to report; a failed flush fails every later commit anyway.
      await this.releaseConnection().catch(() => {});
      throw withoutStatement(error);
    }
    // Only after the commit is on disk (as for Kysely's transactions: releaseConnection).
    await this.releaseConnection();
    return rows;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    const mark = this.#mark;
    this.#release = undefined;
    release?.();
    // After the release, so that the next user runs while this one waits: commits made meanwhile join
    // the same disk flush (group commit).
    await this.#durability?.waitDurable(mark);
  }

  async destroy(): Promise<void> {
    try {
      await this.#pglite.close();
    } finally {
      this.#onClosed();
    }
  }
}
