/**
 * Everything a command may touch outside its own arguments. `main.ts` builds the real one from `process`;
 * tests build one around strings, a temporary directory and the real `fetch`, and run commands in-process.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when a person watches (progress and colours only then). */
  isTTY?: boolean;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative file arguments resolve against this directory. */
  cwd: string;
  fetch: typeof fetch;
  /** Aborted when the user asks a long-running command (`serve`) to stop (SIGINT/SIGTERM in main). */
  stop?: AbortSignal;
}

export const writeLine = (stream: OutputStream, line = ''): void => {
  stream.write(`${line}\n`);
};

/** Machine-readable output: one JSON document, pretty-printed so that people can read it too. */
export const writeJson = (io: Io, value: unknown): void => {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};
