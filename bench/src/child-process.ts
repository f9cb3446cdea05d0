import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * A Node child process of the bench (server, bare baseline, load worker), with the tail of its output kept
 * for the error message when it fails.
 */
export interface NodeChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** The last 16 KB of stdout and stderr, interleaved. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
}

const OUTPUT_TAIL_BYTES = 16 * 1024;

/** Starts `node ...nodeFlags <script> ...args` with exactly `env` (plus PATH), stdin closed. */
export const spawnNode = (
  script: URL,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  nodeFlags: readonly string[] = [],
): NodeChild => {
  const child = spawn(process.execPath, [...nodeFlags, script.pathname, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = once(child, 'exit').then(([code, signal]) =>
    code === null ? String(signal) : Number(code),
  );
  if (child.pid === undefined) throw new Error(`could not start node ${script.pathname}`);
  return { process: child, pid: child.pid, output: () => tail, exited };
};

/**
 * A TCP port free on 127.0.0.1 at this instant (the kernel's pick for port 0). Another process could take
 * it before the child listens; on this machine nothing else binds ports at random, and a clash shows as a
 * child that fails to start, not as a wrong figure.
 */
export const freePort = async (): Promise<number> => {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  probe.close();
  await once(probe, 'close');
  return port;
};

/**
 * Sends SIGTERM to the child (our own pid, never a name) and waits for it to end; after `graceMs`
 * (milliseconds) it gets SIGKILL. Resolves with the exit code or signal name.
 */
export const terminate = async (child: NodeChild, graceMs = 30_000): Promise<number | string> => {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.exited;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
};
