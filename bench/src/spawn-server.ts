import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type NodeChild, spawnNode, terminate } from './child-process.js';

/** The server's entry point as `npm start` runs it (built by `npm run build`, which `npm run bench` runs first). */
const SERVER_MAIN = new URL('../../packages/server/dist/main.js', import.meta.url);

/**
 * The Node flags `npm start` gives the server (such as `--max-semi-space-size`, which sets its memory
 * under load), read from the root package.json's `start` script: the words between `node` and
 * `packages/server/dist/main.js`. Read rather than repeated, so that the bench cannot drift from it.
 *
 * @throws Error when the start script does not run `node [flags] packages/server/dist/main.js`.
 */
export const startScriptNodeFlags = (startScript: string): string[] => {
  const match = /(?:^|&&\s*)node((?:\s+--?[\w-]+(?:=\S+)?)*)\s+packages\/server\/dist\/main\.js\s*$/.exec(
    startScript,
  );
  if (match === null) {
    throw new Error(`the start script does not run node packages/server/dist/main.js: ${startScript}`);
  }
  return (match[1] ?? '').split(/\s+/).filter((word) => word !== '');
};

const serverNodeFlags = (): string[] => {
  const root = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts?: { start?: string };
  };
  return startScriptNodeFlags(root.scripts?.start ?? '');
};

/** The API key the bench's servers accept (`SHL_API_KEY`). */
export const BENCH_API_KEY = 'bench-api-key-0123456789abcdef';

/** Where the server keeps its links: the embedded database in a directory, or PostgreSQL. */
export type ServerDatabase =
  { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; keyEncryptionKey: string };

export interface SpawnedServer {
  /** `http://127.0.0.1:<port>` (no trailing slash), also its PUBLIC_BASE_URL. */
  readonly url: string;
  readonly pid: number;
  /** SIGTERM, then waits for the exit; throws when the server did not exit 0 (a failed drain is a bug). */
  stop(): Promise<void>;
}

/** How long a start may take (milliseconds): migrations on a fresh database, PGlite loading its files. */
const READY_TIMEOUT_MS = 120_000;

const ready = async (url: string, child: NodeChild): Promise<void> => {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null)
      throw new Error(`the server exited with ${child.process.exitCode} before /readyz:\n${child.output()}`);
    try {
      const answer = await fetch(`${url}/readyz`);
      await answer.arrayBuffer();
      if (answer.status === 200) return;
    } catch {
      // Not listening yet: look again shortly.
    }
    await sleep(100);
  }
  await terminate(child);
  throw new Error(`the server was not ready within ${READY_TIMEOUT_MS} ms:\n${child.output()}`);
};

/**
 * Starts `node packages/server/dist/main.js` as `npm start` does (with its Node flags), configured only by environment
 * variables: 127.0.0.1 on a free port, `SHL_API_KEY`, no demo link, rate limits off (the bench sends
 * thousands of requests from one address), the given log level, and the database. Resolves once
 * `/readyz` answers 200 (database reachable, migrations done). Every server of one database is given the
 * same `port` (see `freePort`), so the link URLs it made (`PUBLIC_BASE_URL/shl/<id>`) keep working.
 *
 * @throws Error with the server's output when it exits or is not ready within 120 s.
 */
export const spawnServer = async (
  database: ServerDatabase,
  logLevel: 'silent' | 'warn',
  port: number,
): Promise<SpawnedServer> => {
  const url = `http://127.0.0.1:${port}`;
  const child = spawnNode(
    SERVER_MAIN,
    [],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: url,
      SHL_API_KEY: BENCH_API_KEY,
      SHL_DEMO: 'false',
      LOG_LEVEL: logLevel,
      SHL_RATE_LIMIT: 'off',
      ...(database.kind === 'pglite'
        ? { DATA_DIR: database.dataDir }
        : { DATABASE_URL: database.url, SHL_KEY_ENCRYPTION_KEY: database.keyEncryptionKey }),
    },
    serverNodeFlags(),
  );
  await ready(url, child);
  return {
    url,
    pid: child.pid,
    stop: async () => {
      const code = await terminate(child);
      if (code !== 0) throw new Error(`the server exited with ${code} after SIGTERM:\n${child.output()}`);
    },
  };
};
