import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import type { Io } from '../src/io.js';

export { samplePath } from '../../../test-support/samples.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = Record<string, unknown>>(): T;
  /** The `{"error": ...}` document a --json run writes to stderr. */
  error(): Record<string, unknown>;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  fetch?: typeof fetch;
  /** Pretend stdout and stderr are terminals (QR drawing, progress). */
  tty?: boolean;
}

/** Runs `shlkit ARGV` in-process with captured output; the real fetch and file system. */
export const shlkit = async (argv: string[], options: RunOptions = {}): Promise<RunResult> => {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.tty === true },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: options.tty === true },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    fetch: options.fetch ?? globalThis.fetch,
  };
  const code = await runCli(argv, io);
  return {
    code,
    stdout,
    stderr,
    json: <T>() => JSON.parse(stdout) as T,
    error: () => (JSON.parse(stderr) as { error: Record<string, unknown> }).error,
  };
};

export const makeTempDir = async (): Promise<{ path: string; remove(): Promise<void> }> => {
  const path = await mkdtemp(join(tmpdir(), 'shlkit-cli-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
};

export interface RunningCommand {
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the command returns. */
  done: Promise<number>;
  /** Fires the command's stop signal (what SIGINT does in the real process). */
  stop(): void;
}

/** Starts a long-running command (`serve`) in-process; `stop()` ends it like Ctrl-C. */
export const startShlkit = (argv: string[], options: RunOptions = {}): RunningCommand => {
  let stdout = '';
  let stderr = '';
  const stop = new AbortController();
  const io: Io = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    fetch: options.fetch ?? globalThis.fetch,
    stop: stop.signal,
  };
  return { stdout: () => stdout, stderr: () => stderr, done: runCli(argv, io), stop: () => stop.abort() };
};

/** Waits until `check` returns a value, or the command ends (then fails with its output). */
export const waitFor = async <T>(command: RunningCommand, check: () => T | undefined): Promise<T> => {
  let ended: number | undefined;
  void command.done.then((code) => {
    ended = code;
  });
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (ended !== undefined) {
      throw new Error(`the command ended with ${ended}: ${command.stderr()}${command.stdout()}`);
    }
    await new Promise((next) => setTimeout(next, 20));
  }
};
