import type { Io } from './io.js';

/** One `shlkit` command. `run` returns the exit code (0 unless it has a reason) or throws a CliError. */
export interface Command {
  name: string;
  /** One line for `shlkit help`. */
  summary: string;
  /** The full text of `shlkit NAME --help`. */
  help: string;
  run(argv: readonly string[], io: Io): Promise<number | undefined>;
}
