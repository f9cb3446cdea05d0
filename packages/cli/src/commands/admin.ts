import { createAdminUser } from '@shlkit/server';
import { JSON_OPTION, parseCommandArgs, requirePositionals } from '../args.js';
import type { Command } from '../command.js';
import { usageError } from '../errors.js';
import { writeJson, writeLine } from '../io.js';
import { withDatabase } from '../support/database.js';

const MIN_PASSWORD_LENGTH = 12;

export const adminCommand: Command = {
  name: 'admin',
  summary: 'create an administrator account (directly in the database)',
  help: `Usage: shlkit admin create-user USERNAME [--password PASSWORD] [--json]

Creates an administrator of the server's admin interface, directly in the database the server
configuration names (DATABASE_URL, or DATA_DIR for the embedded one). The password is stored only as a
salted slow hash. Give it with --password or, to keep it out of the shell history and process list,
in the environment variable SHLKIT_ADMIN_PASSWORD. At least ${MIN_PASSWORD_LENGTH} characters.

Options:
  --password PASSWORD   the new user's password (default: $SHLKIT_ADMIN_PASSWORD)
  --json                print {id, username}
  -h, --help            show this help`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('admin', argv, {
      password: { type: 'string' },
      ...JSON_OPTION,
    });
    const [subcommand, ...rest] = positionals;
    if (subcommand !== 'create-user') {
      throw usageError(
        subcommand === undefined ? 'missing subcommand' : `unknown subcommand "admin ${subcommand}"`,
        'Use `shlkit admin create-user USERNAME`.',
      );
    }
    requirePositionals(
      'admin',
      rest,
      { min: 1, max: 1 },
      'the USERNAME (`shlkit admin create-user USERNAME`)',
    );
    const username = rest[0] ?? '';
    const password = values.password ?? io.env.SHLKIT_ADMIN_PASSWORD;
    if (password === undefined || password === '') {
      throw usageError('no password given', 'Pass --password or set SHLKIT_ADMIN_PASSWORD.');
    }
    if ([...password].length < MIN_PASSWORD_LENGTH) {
      throw usageError(
        `the password has ${[...password].length} characters; at least ${MIN_PASSWORD_LENGTH} are needed`,
        'Choose a longer password (a passphrase of a few words works well).',
      );
    }
    const user = await withDatabase(io, (db) => createAdminUser(db, { username, password }));
    if (values.json) writeJson(io, { id: user.id, username });
    else writeLine(io.stdout, `Created administrator ${username} (${user.id}).`);
    return 0;
  },
};
