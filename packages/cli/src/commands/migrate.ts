import { JSON_OPTION, parseCommandArgs, requirePositionals } from '../args.js';
import type { Command } from '../command.js';
import { writeJson, writeLine } from '../io.js';
import { describeDatabase, withDatabase } from '../support/database.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: "bring the server's database schema up to date",
  help: `Usage: shlkit migrate [--json]

Applies every pending database migration to the database the server configuration names
(DATABASE_URL for PostgreSQL, else the embedded database in DATA_DIR). Safe to run again: applied
migrations are skipped. \`shlkit serve\` migrates on start too; run this before a rolling deploy.

Options:
  --json        print {database, migrated: true}
  -h, --help    show this help`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('migrate', argv, { ...JSON_OPTION });
    requirePositionals('migrate', positionals, { min: 0, max: 0 }, '');
    const database = describeDatabase(io);
    await withDatabase(io, async () => undefined);
    if (values.json) writeJson(io, { database, migrated: true });
    else writeLine(io.stdout, `Migrated ${database}: the schema is up to date.`);
    return 0;
  },
};
