import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli.js';
import type { Io } from '../src/io.js';

/** `../shared/samples/` beside the repository. */
export const samplesDir = fileURLToPath(new URL('../../../../shared/samples/', import.meta.url));
export const samplePath = (path: string): string => join(samplesDir, path);

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
}

/** Runs `shlkit ARGV` in-process with captured output; the real fetch and file system. */
export const shlkit = async (argv: string[], options: RunOptions = {}): Promise<RunResult> => {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
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
