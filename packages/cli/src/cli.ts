import type { Command } from './command.js';
import { adminCommand } from './commands/admin.js';
import { apiKeyCommand } from './commands/api-key.js';
import { createCommand } from './commands/create.js';
import { inspectCommand } from './commands/inspect.js';
import { linksCommand } from './commands/links.js';
import { migrateCommand } from './commands/migrate.js';
import { qrCommand } from './commands/qr.js';
import { resolveCommand } from './commands/resolve.js';
import { rotateKekCommand } from './commands/rotate-kek.js';
import { serveCommand } from './commands/serve.js';
import { EXIT_CODE_TABLE, EXIT_CODES, toCliError, usageError } from './errors.js';
import { type Io, writeLine } from './io.js';
import { terminalText } from './support/terminal-text.js';

export const COMMANDS: readonly Command[] = [
  createCommand,
  resolveCommand,
  inspectCommand,
  qrCommand,
  linksCommand,
  serveCommand,
  migrateCommand,
  apiKeyCommand,
  adminCommand,
  rotateKekCommand,
];

export const VERSION = '0.1.0';

export const mainHelp = (): string => {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `shlkit ${VERSION}: share and open SMART Health Links from the shell

Usage: shlkit COMMAND [ARGS...] [--json] [--help]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}
  ${'help'.padEnd(width)}  show this help, or \`shlkit help COMMAND\` for one command

Environment:
  SHLKIT_SERVER     server URL for create and links (instead of --server)
  SHLKIT_API_KEY    management API key for create and links (instead of --api-key)
  serve, migrate, api-key, admin and rotate-kek read the server's configuration (DATA_DIR, DATABASE_URL, PORT, ...)

Output: text for people on stdout; with --json one JSON document on stdout for scripts, and errors as
{"error": {code, message, hint, exitCode}} on stderr. Progress goes to stderr, only on a terminal.

Exit codes:
${EXIT_CODE_TABLE.map(([code, meaning]) => `  ${code}  ${meaning}`).join('\n')}`;
};

/**
 * Runs one `shlkit` invocation in-process and returns its exit code. Never throws and never exits: `main.ts`
 * owns the process, tests call this directly.
 */
export const runCli = async (argv: readonly string[], io: Io): Promise<number> => {
  const [name, ...rest] = argv;
  const json = argv.includes('--json');
  try {
    if (name === undefined) {
      io.stderr.write(`${mainHelp()}\n`);
      return EXIT_CODES.USAGE;
    }
    if (name === 'help' || name === '--help' || name === '-h') {
      const topic = rest[0];
      if (topic === undefined) {
        writeLine(io.stdout, mainHelp());
        return 0;
      }
      writeLine(io.stdout, findCommand(topic).help);
      return 0;
    }
    if (name === '--version' || name === '-v') {
      writeLine(io.stdout, VERSION);
      return 0;
    }
    const command = findCommand(name);
    if (rest.includes('--help') || rest.includes('-h')) {
      writeLine(io.stdout, command.help);
      return 0;
    }
    return (await command.run(rest, io)) ?? 0;
  } catch (thrown) {
    const error = toCliError(thrown);
    if (json) {
      io.stderr.write(
        `${JSON.stringify({
          error: {
            code: error.code,
            message: error.message,
            hint: error.hint ?? null,
            exitCode: error.exitCode,
            ...error.details,
          },
        })}\n`,
      );
    } else {
      // Messages quote what others wrote: server error texts, file names, values from a link.
      writeLine(io.stderr, `shlkit: ${terminalText(error.message)}`);
      if (error.hint !== undefined) writeLine(io.stderr, `  ${terminalText(error.hint)}`);
      if (error.exitCode === EXIT_CODES.GENERIC && error.cause instanceof Error && error.cause.stack) {
        writeLine(io.stderr, error.cause.stack);
      }
    }
    return error.exitCode;
  }
};

const findCommand = (name: string): Command => {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command) return command;
  const near = COMMANDS.find((candidate) => candidate.name.startsWith(name.slice(0, 2)));
  throw usageError(
    `unknown command "${name}"`,
    near
      ? `Did you mean \`shlkit ${near.name}\`? Run \`shlkit help\` for all commands.`
      : 'Run `shlkit help` for all commands.',
  );
};
