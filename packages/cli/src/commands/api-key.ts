import { API_KEY_SCOPES, type ApiKey, type ApiKeyScope } from '@shlkit/api';
import { createApiKey, listApiKeys, revokeApiKey } from '@shlkit/server';
import { JSON_OPTION, parseCommandArgs, requirePositionals } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT_CODES, usageError } from '../errors.js';
import { writeJson, writeLine } from '../io.js';
import { withDatabase } from '../support/database.js';
import { terminalText } from '../support/terminal-text.js';

export const apiKeyCommand: Command = {
  name: 'api-key',
  summary: 'create, list and revoke management API keys (directly in the database)',
  help: `Usage: shlkit api-key create NAME [--scope SCOPE]... | list | revoke ID [--json]

Manages the bearer tokens of the management API, directly in the database the server configuration
names (DATABASE_URL, or DATA_DIR for the embedded one): run it where the server runs. The token is
shown once, at creation; the server keeps only its hash.

Subcommands:
  create NAME   make a key; prints its id and the token (use it as --api-key or SHLKIT_API_KEY)
  list          every key: id, name, scopes, created, last used, revoked
  revoke ID     revoke a key: requests with it are refused from now on

Options:
  --scope SCOPE what the new key may do; repeat for several (default: admin):
                  links:create  create links, and read, change and revoke its own only
                  links:read    read every link (list, get, access log, QR) and the audit trail
                  links:manage  read, change, revoke and create every link (an operator's rights)
                  admin         everything, including accounts and API keys
  --json        print JSON
  -h, --help    show this help

Examples:
  export SHLKIT_API_KEY=$(shlkit api-key create ci --json | jq -r .token)
  shlkit api-key create patient-backend --scope links:create`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('api-key', argv, {
      ...JSON_OPTION,
      scope: { type: 'string', multiple: true },
    });
    const [subcommand, ...rest] = positionals;
    switch (subcommand) {
      case 'create': {
        requirePositionals(
          'api-key',
          rest,
          { min: 1, max: 1 },
          'the NAME of the key (`shlkit api-key create NAME`)',
        );
        const name = rest[0] ?? '';
        const scopes = parseScopes(values.scope);
        const key = await withDatabase(io, (db) => createApiKey(db, { name, scopes }));
        if (values.json) writeJson(io, { id: key.id, name, scopes: key.scopes, token: key.token });
        else {
          writeLine(
            io.stdout,
            `Created API key ${key.id} (${name}, ${key.scopes.join(' ')}). The token, shown only this once:`,
          );
          writeLine(io.stdout, key.token);
        }
        return 0;
      }
      case 'list': {
        requirePositionals('api-key', rest, { min: 0, max: 0 }, '');
        if (values.scope !== undefined) throw usageError('--scope is for `api-key create`', 'Drop --scope.');
        const keys = await withDatabase(io, (db) => listApiKeys(db));
        if (values.json) writeJson(io, { keys });
        else if (keys.length === 0)
          writeLine(io.stdout, 'No API keys. Make one with `shlkit api-key create NAME`.');
        else for (const key of keys) writeLine(io.stdout, describeKey(key));
        return 0;
      }
      case 'revoke': {
        requirePositionals(
          'api-key',
          rest,
          { min: 1, max: 1 },
          'the key ID (`shlkit api-key list` shows them)',
        );
        const id = rest[0] ?? '';
        const revoked = await withDatabase(io, (db) => revokeApiKey(db, id));
        if (revoked === false) {
          throw new CliError('CLI_NOT_FOUND', EXIT_CODES.INACTIVE, `no active API key with id ${id}`, {
            hint: 'See the ids with `shlkit api-key list`.',
          });
        }
        if (values.json) writeJson(io, { id, revoked: true });
        else writeLine(io.stdout, `Revoked API key ${id}.`);
        return 0;
      }
      case undefined:
        throw usageError('missing subcommand', 'Use `shlkit api-key create NAME`, `list` or `revoke ID`.');
      default:
        throw usageError(`unknown subcommand "api-key ${subcommand}"`, 'Use create, list or revoke.');
    }
  },
};

/** The `--scope` values, checked; none given: `admin`, as keys had before scopes. */
const parseScopes = (given: string[] | undefined): ApiKeyScope[] => {
  if (given === undefined) return ['admin'];
  for (const scope of given) {
    if (!(API_KEY_SCOPES as readonly string[]).includes(scope)) {
      throw usageError(`unknown scope "${terminalText(scope)}"`, `Use one of ${API_KEY_SCOPES.join(', ')}.`);
    }
  }
  return given as ApiKeyScope[];
};

const describeKey = (key: ApiKey): string => {
  const when = (value: string | null) => value ?? '-';
  const state = key.revokedAt !== null ? `revoked ${when(key.revokedAt)}` : 'active';
  // Key names are whatever another operator typed: escaped before they reach the terminal.
  return `${terminalText(key.id)}  ${terminalText(key.name).padEnd(20)}  ${key.scopes.join(',').padEnd(12)}  created ${when(key.createdAt)}  last used ${when(key.lastUsedAt)}  ${state}`;
};
