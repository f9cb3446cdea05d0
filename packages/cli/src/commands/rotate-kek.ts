import { createKeyWrapper, kekId, loadConfig, loadKeyRing, rewrapLinkKeys } from '@shlkit/server';
import { randomBytes } from 'node:crypto';
import { JSON_OPTION, parseCommandArgs, requirePositionals } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT_CODES, usageError } from '../errors.js';
import { writeJson, writeLine } from '../io.js';
import { describeDatabase, withDatabase } from '../support/database.js';

export const rotateKekCommand: Command = {
  name: 'rotate-kek',
  summary: 're-wrap every link key under a new key-encryption key (links do not change)',
  help: `Usage: shlkit rotate-kek [--json]

Re-wraps every stored link key under the key-encryption key (KEK) in SHL_KEY_ENCRYPTION_KEY (or the
file SHL_KEY_ENCRYPTION_KEY_FILE names), unwrapping with the old key(s) in
SHL_KEY_ENCRYPTION_KEY_PREVIOUS (comma-separated). Links keep their URL and their link key; only the
wrapping at rest changes. Works on the database the server configuration names (DATABASE_URL, or
DATA_DIR for the embedded one). Safe to run while PostgreSQL servers run, and to run again.

Without downtime, on PostgreSQL:
  1. every server: SHL_KEY_ENCRYPTION_KEY=OLD, SHL_KEY_ENCRYPTION_KEY_PREVIOUS=NEW (rolling restart)
  2. every server: SHL_KEY_ENCRYPTION_KEY=NEW, SHL_KEY_ENCRYPTION_KEY_PREVIOUS=OLD (rolling restart)
  3. SHL_KEY_ENCRYPTION_KEY=NEW SHL_KEY_ENCRYPTION_KEY_PREVIOUS=OLD shlkit rotate-kek
  4. every server: drop SHL_KEY_ENCRYPTION_KEY_PREVIOUS; destroy OLD
The embedded database is opened by one process at a time: stop the server, rotate, start it again
with the new key.

Options:
  --json        print {database, kekId, rewrapped, alreadyCurrent, failed}
  -h, --help    show this help

Make a key:
  node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('rotate-kek', argv, { ...JSON_OPTION });
    requirePositionals('rotate-kek', positionals, { min: 0, max: 0 }, '');
    const config = loadConfig(io.env);
    if (config.keyEncryptionKey === undefined && config.keyEncryptionKeyFile === undefined) {
      throw usageError(
        'rotate-kek needs the new key-encryption key in SHL_KEY_ENCRYPTION_KEY or SHL_KEY_ENCRYPTION_KEY_FILE',
        'Give the old key(s) in SHL_KEY_ENCRYPTION_KEY_PREVIOUS; `shlkit rotate-kek --help` shows the steps.',
      );
    }
    const { ring } = loadKeyRing(config, (length) => new Uint8Array(randomBytes(length)));
    const keys = createKeyWrapper(ring, (length) => new Uint8Array(randomBytes(length)));
    const database = describeDatabase(io);
    const report = await withDatabase(io, (db) => rewrapLinkKeys(db, keys));
    const newId = kekId(ring.current);
    if (values.json) writeJson(io, { database, kekId: newId, ...report });
    else {
      writeLine(
        io.stdout,
        `Re-wrapped ${report.rewrapped} link key(s) under key-encryption key ${newId} in ${database}; ${report.alreadyCurrent} already were.`,
      );
    }
    if (report.failed.length > 0) {
      const ids = [...new Set(report.failed.map((failure) => failure.kekId))].join(', ');
      throw new CliError(
        'SHL_KEY_UNWRAP_FAILED',
        EXIT_CODES.SERVER,
        `${report.failed.length} link key(s) are wrapped under key-encryption key(s) ${ids}, which neither SHL_KEY_ENCRYPTION_KEY nor SHL_KEY_ENCRYPTION_KEY_PREVIOUS holds; they were left as they were`,
        {
          hint: 'Add the old key to SHL_KEY_ENCRYPTION_KEY_PREVIOUS and run `shlkit rotate-kek` again.',
          details: { failed: report.failed },
        },
      );
    }
    return 0;
  },
};
