// @shlkit/cli: the `shlkit` command. Exported for tests and for programs that embed the commands.
export { COMMANDS, mainHelp, runCli, VERSION } from './cli.js';
export type { Command } from './command.js';
export {
  CliError,
  type CliErrorCode,
  EXIT_CODE_TABLE,
  EXIT_CODES,
  type ExitCode,
  toCliError,
} from './errors.js';
export type { Io, OutputStream } from './io.js';
