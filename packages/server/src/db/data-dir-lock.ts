import {
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { ServerError } from '../errors.js';

export const LOCK_FILE = 'shlkit.lock';

/** The data directories this process holds, so that a second open in the same process is refused too. */
const heldHere = new Set<string>();

/** A takeover left behind by a process that died in the middle of one is stale after this long. */
const TAKEOVER_STALE_MS = 10_000;

/** The holder touches its lock file this often (milliseconds), to show from afar that it still runs. */
export const LOCK_REFRESH_MS = 10_000;

/**
 * A lock from another host, container or boot whose file was not touched for this long is stale: its
 * holder, which touches it every LOCK_REFRESH_MS, is gone.
 */
export const LOCK_STALE_MS = 60_000;

export interface DataDirLock {
  /** Removes the lock file (only if it is still ours). Idempotent. */
  release(): void;
}

/**
 * Where a pid means something: the host name, the kernel's boot id and the pid namespace. Two containers
 * sharing a volume each have their own pid namespace (and usually host name), so another container's pid
 * 7 may be no process here, or another one; after a reboot no old pid runs at all.
 */
const hostIdentity = (): string => {
  const read = (from: () => string): string => {
    try {
      return from().trim();
    } catch {
      return ''; // Not Linux: the host name alone.
    }
  };
  const bootId = read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
  const pidNamespace = read(() => readlinkSync('/proc/self/ns/pid'));
  return [hostname(), bootId, pidNamespace].join(' ').trim();
};

/** True when nobody touched the lock file for LOCK_STALE_MS: its holder no longer refreshes it. */
const isStale = (file: string, now = Date.now()): boolean => {
  try {
    return now - statSync(file).mtimeMs > LOCK_STALE_MS;
  } catch {
    return true;
  }
};

/** True when a process with this pid exists (EPERM: it exists, under another user). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

interface Owner {
  pid: number;
  command: string;
  /** From `hostIdentity`; empty in a lock written before it was recorded (taken as this host). */
  host: string;
}

const readOwner = (file: string): Owner | undefined => {
  try {
    const [pidLine = '', command = '', host = ''] = readFileSync(file, 'utf8').split('\n');
    const pid = Number(pidLine);
    return Number.isSafeInteger(pid) && pid > 0 ? { pid, command, host } : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

const inUse = (dataDir: string, owner: Pick<Owner, 'pid' | 'command'>): ServerError =>
  new ServerError(
    'SHL_DATA_DIR_IN_USE',
    `the embedded database in DATA_DIR ${dataDir} is in use by process ${owner.pid}${owner.command === '' ? '' : ` (${owner.command})`}. ` +
      'Only one process may open it at a time: use the running server instead (its management API, e.g. ' +
      'POST /api/keys for an API key, or the admin app), or stop that process first and run this again.',
    { field: 'DATA_DIR' },
  );

const inUseElsewhere = (dataDir: string, file: string, owner: Owner): ServerError =>
  new ServerError(
    'SHL_DATA_DIR_IN_USE',
    `the embedded database in DATA_DIR ${dataDir} is held by process ${owner.pid} of another host, ` +
      `container or boot (${owner.host}), which touched ${file} less than ${LOCK_STALE_MS / 1000} s ago. ` +
      'Only one process may open it at a time. If that process is gone, the lock is taken over once it is ' +
      `${LOCK_STALE_MS / 1000} s old; or remove ${file} and start again.`,
    { field: 'DATA_DIR' },
  );

/** True while a lock file is younger than a second (its writer may not have written its pid yet). */
const isFresh = (file: string): boolean => {
  try {
    return Date.now() - statSync(file).mtimeMs < 1000;
  } catch {
    return false;
  }
};

const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Only the first to create `<dir>.takeover` (mkdir is atomic) may replace a stale lock, so that two
 * processes finding the same dead owner do not each remove the other's fresh lock.
 */
const withTakeover = (file: string, work: () => void): boolean => {
  const mutex = `${file}.takeover`;
  try {
    mkdirSync(mutex);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(mutex).mtimeMs > TAKEOVER_STALE_MS) rmdirSync(mutex);
    } catch {
      // Gone meanwhile: the next round tries again.
    }
    return false;
  }
  try {
    work();
  } finally {
    rmdirSync(mutex);
  }
  return true;
};

/**
 * Takes the embedded data directory for this process: PGlite is a database engine inside the process, so
 * two processes opening one directory (a CLI command while the server runs) each see their own copy and
 * lose each other's writes. A lock file `DATA_DIR/shlkit.lock` holds the owner's pid (and command, for the
 * message); created exclusively, so that of two processes starting together one wins. A lock whose pid is
 * no longer running (a crash, SIGKILL) is taken over; so is a lock with our own pid that this process does
 * not hold (a container restarted with the same pid). The holder touches the file every
 * LOCK_REFRESH_MS: a lock from another host, container (pid namespace) or boot, whose pid cannot be
 * checked from here, is taken over only once nobody touched it for LOCK_STALE_MS.
 *
 * @throws ServerError `SHL_DATA_DIR_IN_USE` (field `DATA_DIR`) when a live process holds it.
 */
export const lockDataDir = (dataDir: string, options: { refreshMs?: number } = {}): DataDirLock => {
  mkdirSync(dataDir, { recursive: true });
  const key = resolve(dataDir);
  const file = join(dataDir, LOCK_FILE);
  const host = hostIdentity();
  const content = `${process.pid}\n${process.argv.slice(1).join(' ').slice(0, 200).replace(/\n/g, ' ')}\n${host}\n`;
  if (heldHere.has(key)) throw inUse(dataDir, { pid: process.pid, command: 'this same process' });
  for (let round = 0; round < 50; round += 1) {
    try {
      writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
      heldHere.add(key);
      let released = false;
      const refresh = setInterval(() => {
        try {
          const at = new Date();
          utimesSync(file, at, at);
        } catch {
          // Removed by hand meanwhile: nothing to refresh.
        }
      }, options.refreshMs ?? LOCK_REFRESH_MS);
      refresh.unref();
      return {
        release() {
          if (released) return;
          released = true;
          clearInterval(refresh);
          heldHere.delete(key);
          if (readOwner(file)?.pid === process.pid) unlinkSync(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    if (owner === undefined && isFresh(file)) {
      // Just created by a process that has not written its pid yet: give it a moment.
      pause(50);
      continue;
    }
    const here = owner === undefined || owner.host === '' || owner.host === host;
    if (owner !== undefined && !here && !isStale(file)) throw inUseElsewhere(dataDir, file, owner);
    if (owner !== undefined && here && owner.pid !== process.pid && isAlive(owner.pid)) {
      throw inUse(dataDir, owner);
    }
    // Stale (dead owner, our own recycled pid, or unreadable): replace it, if no one else is doing so.
    withTakeover(file, () => {
      const again = readOwner(file);
      if (again === undefined || again.pid === owner?.pid) {
        try {
          unlinkSync(file);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    });
  }
  throw new ServerError(
    'SHL_DATA_DIR_IN_USE',
    `could not take the lock ${file}; remove it if no shlkit process runs`,
    {
      field: 'DATA_DIR',
    },
  );
};
