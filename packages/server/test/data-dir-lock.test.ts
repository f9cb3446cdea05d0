import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { LOCK_FILE, LOCK_STALE_MS, lockDataDir } from '../src/db/data-dir-lock.js';
import { openDatabase } from '../src/db/open-database.js';
import { buildServer, repoRoot, type ServerProcess, spawnServer } from './support/spawn-server.js';

const cliBin = join(repoRoot, 'packages/cli/bin/shlkit.js');

/** `shlkit ARGS` as a real process on `dataDir`. */
const runShlkit = (dataDir: string, args: string[]) =>
  spawnSync(process.execPath, [cliBin, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('one process at a time on an embedded data directory (real processes)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shlkit-lock-'));
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    buildServer();
    execFileSync('npx', ['tsc', '-b', 'packages/cli'], { cwd: repoRoot, stdio: 'inherit' });
    server = await spawnServer({ DATA_DIR: dataDir });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the running server’s pid into DATA_DIR/shlkit.lock', () => {
    const [pid] = readFileSync(join(dataDir, LOCK_FILE), 'utf8').split('\n');
    expect(Number(pid)).toBe(server?.child.pid);
  });

  it('stops `shlkit api-key create` with a message saying what to do instead, and writes nothing', () => {
    const result = runShlkit(dataDir, ['api-key', 'create', 'second', '--json']);
    expect(result.status).toBe(2);
    const error = (JSON.parse(result.stderr) as { error: Record<string, unknown> }).error;
    expect(error).toMatchObject({ code: 'SHL_DATA_DIR_IN_USE', exitCode: 2 });
    expect(error.message).toContain(`in use by process ${server?.child.pid}`);
    expect(error.message).toContain('POST /api/keys');
    expect(result.stdout).toBe('');
  }, 120_000);

  it('stops a second server on the same DATA_DIR with the same message', async () => {
    await expect(spawnServer({ DATA_DIR: dataDir })).rejects.toThrow(
      new RegExp(`in use by process ${server?.child.pid}`),
    );
  }, 120_000);

  it('refuses a second open in the same process as well', async () => {
    await expect(openDatabase(loadConfig({ DATA_DIR: dataDir }))).rejects.toMatchObject({
      code: 'SHL_DATA_DIR_IN_USE',
    });
  });

  it('lets the next process in once the server stops, and takes over the lock of a killed one', async () => {
    await server?.stop();
    server = undefined;
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const created = runShlkit(dataDir, ['api-key', 'create', 'after stop', '--json']);
    expect(created.status).toBe(0);

    const killed = await spawnServer({ DATA_DIR: dataDir });
    const exited = new Promise((done) => killed.child.once('exit', done));
    killed.child.kill('SIGKILL');
    await exited;
    // The lock of the dead process is still there, and is taken over.
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').split('\n')[0]).toBe(String(killed.child.pid));
    const listed = runShlkit(dataDir, ['api-key', 'list', '--json']);
    expect(listed.status).toBe(0);
    // The key made after the stop survived the killed server's start; the refused one was never made.
    const names = (JSON.parse(listed.stdout) as { keys: { name: string }[] }).keys.map((key) => key.name);
    expect(names).toContain('after stop');
    expect(names).not.toContain('second');
  }, 180_000);
});

describe('a data directory locked from another host, container or boot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shlkit-lock-elsewhere-'));
  const lockFile = join(dir, LOCK_FILE);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A pid no process has here: above the kernel's pid_max, which is at most 2^22. */
  const NO_SUCH_PID = 2 ** 22 + 1;
  const ageBy = (ms: number) => {
    const then = new Date(Date.now() - ms);
    utimesSync(lockFile, then, then);
  };

  it.each([
    ['another container', `${NO_SUCH_PID}\nshlkit serve\nother-container 0f1e2d3c pid:[1]\n`],
    // Our own parent's pid is alive here, but it was recorded under another boot of this host.
    [
      'an earlier boot of this host',
      `${process.ppid}\nshlkit serve\n${hostname()} an-earlier-boot pid:[1]\n`,
    ],
  ])('is refused while %s still touches it, and taken over once it is stale', (_, content) => {
    writeFileSync(lockFile, content);
    expect(() => lockDataDir(dir)).toThrowError(
      expect.objectContaining({ code: 'SHL_DATA_DIR_IN_USE', field: 'DATA_DIR' }),
    );
    expect(() => lockDataDir(dir)).toThrowError(/less than 60 s ago.*remove .*shlkit\.lock/s);
    expect(readFileSync(lockFile, 'utf8')).toBe(content);
    ageBy(LOCK_STALE_MS + 1000);
    const lock = lockDataDir(dir);
    expect(readFileSync(lockFile, 'utf8').split('\n')[0]).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('is taken over at once when a dead pid was recorded on this host by a lock that names no host', () => {
    writeFileSync(lockFile, `${NO_SUCH_PID}\nshlkit serve\n`);
    const lock = lockDataDir(dir);
    try {
      const [pid, , host] = readFileSync(lockFile, 'utf8').split('\n');
      expect(Number(pid)).toBe(process.pid);
      expect(host).toContain(hostname());
    } finally {
      lock.release();
    }
    expect(existsSync(lockFile)).toBe(false);
  });

  it('is touched by its holder, so that others can tell it still runs', async () => {
    const lock = lockDataDir(dir, { refreshMs: 20 });
    try {
      ageBy(LOCK_STALE_MS + 1000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(Date.now() - statSync(lockFile).mtimeMs).toBeLessThan(LOCK_STALE_MS);
    } finally {
      lock.release();
    }
  });
});
