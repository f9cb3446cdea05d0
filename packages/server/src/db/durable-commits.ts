import { closeSync, existsSync, fdatasync, fdatasyncSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/*
 * Durable commits for the embedded database (issue 13; docs/decisions/0003-durable-embedded-commits.md).
 *
 * PGlite is PostgreSQL compiled to WebAssembly. Its data directory lives on Emscripten's NODEFS, which
 * writes through to real files with `fs.writeSync` but has no `fsync`: every fsync PostgreSQL asks for
 * ends in nothing, and PGlite starts PostgreSQL with `-F` (fsync off) besides. Without this file a power
 * cut can lose acknowledged links, access-log rows and spent passcode attempts, or leave the directory
 * unreadable.
 *
 * So PostgreSQL starts with fsync on and `wal_sync_method=fsync` (its `fdatasync` method would call a
 * WebAssembly syscall that does nothing, while `fsync` reaches the filesystem's stream operations), and
 * NODEFS gets the fsync it lacks:
 *
 * - WAL files (`pg_wal/`): the fsync of a commit is recorded, not done. The statement returns, the
 *   connection goes to the next request, and the caller waits (`waitDurable`) for a flush that began after
 *   its commit: one `fdatasync` per WAL file, off the event loop, for every commit recorded before it
 *   began. Requests that commit while a flush runs share the next one: group commit, so durability costs
 *   one disk flush per batch, not one per request.
 * - Every other file (data pages, `pg_control`, directories; PostgreSQL syncs these at checkpoints and on
 *   renames): synced at once, as PostgreSQL expects.
 * - WAL before everything else: before PostgreSQL writes or syncs any file outside `pg_wal/` while WAL
 *   syncs are pending, those are done first. A data page or a `pg_control` pointing at a checkpoint
 *   therefore never reaches the disk ahead of the WAL that describes it, which is the order PostgreSQL's
 *   crash recovery relies on.
 * - A WAL file with a pending sync is synced before it is closed; one closed while a flush is using its
 *   descriptor is closed after that flush, so the descriptor cannot be reused under it.
 */

const fdatasyncAsync = promisify(fdatasync);

/** The part of an Emscripten file stream this file reads. `nfd` is the Node.js file descriptor of NODEFS. */
interface NodeFsStream {
  nfd: number;
  node: unknown;
}

type StreamOp = (stream: NodeFsStream, ...rest: unknown[]) => unknown;

/** The part of Emscripten's NODEFS this file changes: its stream operations, shared by every file. */
interface NodeFs {
  realPath(node: unknown): string;
  stream_ops: { write: StreamOp; close: StreamOp; fsync?: StreamOp };
}

/**
 * Counts of what the flusher did, for tests and metrics. All are totals since the database was opened.
 */
export interface DurabilityCounts {
  /** WAL syncs PostgreSQL asked for (about one per committed write transaction). */
  walSyncRequests: number;
  /** Group flushes run off the event loop; each covers every WAL sync requested before it began. */
  groupFlushes: number;
  /** WAL files synced on the spot because PostgreSQL was about to write another file or close them. */
  walSyncsInOrder: number;
  /** Syncs of files outside `pg_wal/` (checkpoints, renames, directories). */
  otherSyncs: number;
}

/**
 * The durability side of an embedded database opened by `openDurablePglite`: the driver calls `mark()`
 * before it hands the connection over and `waitDurable(mark)` after taking it back, and waits only when
 * the statements in between asked for a WAL sync (reads ask for none, so they never wait).
 */
export interface CommitDurability {
  /** A position in the sequence of WAL sync requests. */
  mark(): number;
  /**
   * Resolves once every WAL sync requested after `since` is on disk; at once when none was.
   * @throws the `fdatasync` error (EIO, ENOSPC) when the disk refuses: the commit is then not acknowledged.
   */
  waitDurable(since: number): Promise<void>;
  counts(): DurabilityCounts;
}

class WalFlusher implements CommitDurability {
  #requested = 0;
  #durable = 0;
  readonly #pending = new Set<number>();
  readonly #inFlight = new Set<number>();
  readonly #closeAfterFlight: (() => void)[] = [];
  #flight: Promise<void> | undefined;
  readonly #counts: DurabilityCounts = {
    walSyncRequests: 0,
    groupFlushes: 0,
    walSyncsInOrder: 0,
    otherSyncs: 0,
  };

  mark(): number {
    return this.#requested;
  }

  counts(): DurabilityCounts {
    return { ...this.#counts };
  }

  /** PostgreSQL asked for a WAL file to be synced: remember it for the next group flush. */
  request(fd: number): void {
    this.#pending.add(fd);
    this.#requested += 1;
    this.#counts.walSyncRequests += 1;
  }

  /** Syncs every pending and in-flight WAL file now, on the event loop: PostgreSQL's order demands it. */
  syncNow(): void {
    if (this.#pending.size === 0 && this.#inFlight.size === 0) return;
    for (const fd of [...this.#pending, ...this.#inFlight]) {
      fdatasyncSync(fd);
      this.#counts.walSyncsInOrder += 1;
    }
    this.#pending.clear();
    this.#durable = this.#requested;
  }

  /** A file outside `pg_wal/` is synced: pending WAL first, then the file itself. */
  syncOther(fd: number): void {
    this.syncNow();
    fsyncSync(fd);
    this.#counts.otherSyncs += 1;
  }

  /** A WAL file is about to be closed: sync it first if pending, or close it after the running flush. */
  beforeClose(fd: number, close: () => void): void {
    if (this.#inFlight.has(fd)) {
      this.#closeAfterFlight.push(close);
      return;
    }
    if (this.#pending.delete(fd)) {
      fdatasyncSync(fd);
      this.#counts.walSyncsInOrder += 1;
    }
    close();
  }

  async waitDurable(since: number): Promise<void> {
    const target = this.#requested;
    if (target === since) return;
    while (this.#durable < target) {
      this.#flight ??= this.#flushOnce().finally(() => {
        this.#flight = undefined;
      });
      await this.#flight;
    }
  }

  async #flushOnce(): Promise<void> {
    const covers = this.#requested;
    const fds = [...this.#pending];
    this.#pending.clear();
    for (const fd of fds) this.#inFlight.add(fd);
    try {
      await Promise.all(fds.map((fd) => fdatasyncAsync(fd)));
      this.#durable = Math.max(this.#durable, covers);
      this.#counts.groupFlushes += 1;
    } catch (error) {
      for (const fd of fds) this.#pending.add(fd);
      throw error;
    } finally {
      this.#inFlight.clear();
      for (const close of this.#closeAfterFlight.splice(0)) close();
    }
  }
}

const isWalPath = (path: string): boolean => /[/\\]pg_wal[/\\]/.test(path);

/** Gives NODEFS the fsync it lacks, deferring WAL syncs to `flusher` (see the top of this file). */
const installFsync = (nodefs: NodeFs, flusher: WalFlusher): void => {
  const walStreams = new WeakMap<object, boolean>();
  const isWal = (stream: NodeFsStream): boolean => {
    let wal = walStreams.get(stream);
    if (wal === undefined) {
      wal = isWalPath(nodefs.realPath(stream.node));
      walStreams.set(stream, wal);
    }
    return wal;
  };
  const ops = nodefs.stream_ops;
  const write = ops.write;
  const close = ops.close;
  ops.write = (stream, ...rest) => {
    if (!isWal(stream)) flusher.syncNow();
    return write(stream, ...rest);
  };
  ops.close = (stream, ...rest) => {
    if (!isWal(stream)) return close(stream, ...rest);
    flusher.beforeClose(stream.nfd, () => close(stream, ...rest));
    return undefined;
  };
  ops.fsync = (stream) => {
    if (isWal(stream)) flusher.request(stream.nfd);
    else flusher.syncOther(stream.nfd);
    return 0;
  };
};

/** PGlite's Emscripten module options, as NodeFS.init takes and returns them. */
type ModuleOptions = Parameters<NodeFS['init']>[1];
type PreRun = (mod: Parameters<NodeFS['init']>[0]['Module']) => void;

/** PGlite's NODEFS data directory with the fsync installed before PostgreSQL runs its first statement. */
class DurableNodeFS extends NodeFS {
  readonly #flusher: WalFlusher;

  constructor(dir: string, flusher: WalFlusher) {
    super(dir);
    this.#flusher = flusher;
  }

  override async init(pg: PGlite, opts: ModuleOptions): Promise<{ emscriptenOpts: ModuleOptions }> {
    const { emscriptenOpts } = await super.init(pg, opts);
    const preRun: PreRun[] = [
      ...((emscriptenOpts.preRun ?? []) as PreRun[]),
      (mod) => {
        const nodefs = (mod as unknown as { NODEFS?: NodeFs }).NODEFS;
        if (nodefs === undefined) {
          throw new Error('PGlite no longer exposes NODEFS: embedded commits cannot be made durable');
        }
        installFsync(nodefs, this.#flusher);
      },
    ];
    return { emscriptenOpts: { ...emscriptenOpts, preRun: preRun as ModuleOptions['preRun'] } };
  }
}

/** fsync of every file and folder under `dir`, once: what initdb wrote before any sync was in place. */
const syncTree = (dir: string): void => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) syncTree(path);
    else if (entry.isFile()) syncPath(path);
  }
  syncPath(dir);
};

const syncPath = (path: string): void => {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/** PGlite's start parameters with fsync on: its defaults without `-F`, and the WAL synced by `fsync()`. */
export const durableStartParams = (): string[] => [
  ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
  '-c',
  'wal_sync_method=fsync',
];

/**
 * Opens PGlite on the data directory `dir` (created when missing) with every commit on disk before it is
 * acknowledged. The Kysely driver (pglite-dialect.ts) waits on the returned `durability` each time it
 * takes the connection back.
 * @throws what `PGlite.create` throws when the directory cannot be opened, or the `fsync` error.
 */
export const openDurablePglite = async (
  dir: string,
): Promise<{ pglite: PGlite; durability: CommitDurability }> => {
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  const flusher = new WalFlusher();
  const pglite = await PGlite.create({
    fs: new DurableNodeFS(dir, flusher),
    startParams: durableStartParams(),
  });
  if (fresh) syncTree(dir);
  return { pglite, durability: flusher };
};
