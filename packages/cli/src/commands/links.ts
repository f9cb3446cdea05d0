import type { AccessList, Link, LinkList, LinkStatus, ManagementClient } from '@shlkit/api';
import {
  JSON_OPTION,
  parseCommandArgs,
  parsePositiveInteger,
  requirePositionals,
  SERVER_OPTIONS,
} from '../args.js';
import type { Command } from '../command.js';
import { usageError } from '../errors.js';
import { type Io, writeJson, writeLine } from '../io.js';
import { describeEpochSeconds } from '../support/duration.js';
import { terminalText } from '../support/terminal-text.js';
import { connectManagementApi } from '../support/management-api.js';

const HELP = `Usage: shlkit links SUBCOMMAND [ARGS] [--server URL --api-key KEY] [--json]

Manages the links of a shlkit server through its management API.

Subcommands:
  list [--status S] [--limit N]   list links, newest first (S: active, expired, revoked, locked)
  show ID                         one link: flags, expiry, files, passcode attempts left, its shlink
  revoke ID                       revoke a link for good: from now on every receiver gets "not found"
  accesses ID                     the access log of a link: when, who (recipient), what, outcome

Options:
  --server URL     the shlkit server (default: $SHLKIT_SERVER)
  --api-key KEY    a management API key (default: $SHLKIT_API_KEY)
  --json           print the server's JSON answer
  -h, --help       show this help

Examples:
  shlkit links list --status active
  shlkit links revoke 3Xq...Zk`;

export const linksCommand: Command = {
  name: 'links',
  summary: 'list, show, revoke links and read their access log (management API)',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('links', argv, {
      status: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      ...SERVER_OPTIONS,
      ...JSON_OPTION,
    });
    const [subcommand, ...rest] = positionals;
    switch (subcommand) {
      case 'list': {
        requirePositionals('links', rest, { min: 0, max: 0 }, '');
        const limit =
          values.limit === undefined ? undefined : parsePositiveInteger('links', 'limit', values.limit);
        const api = connectManagementApi('links', values, io);
        const answer = await api.listLinks({
          // Not checked here: the server refuses an unknown status (400) and names the ones it knows.
          status: values.status as LinkStatus | undefined,
          limit,
          cursor: values.cursor,
        });
        if (values.json) writeJson(io, answer);
        else printList(io, answer);
        return 0;
      }
      case 'show':
      case 'revoke':
      case 'accesses': {
        requirePositionals(
          'links',
          rest,
          { min: 1, max: 1 },
          `the link ID (\`shlkit links ${subcommand} ID\`)`,
        );
        const api = connectManagementApi('links', values, io);
        return runOne(subcommand, api, rest[0] ?? '', io, Boolean(values.json));
      }
      case undefined:
        throw usageError(
          'missing subcommand',
          'Use `shlkit links list|show|revoke|accesses` (see `shlkit links --help`).',
        );
      default:
        throw usageError(`unknown subcommand "links ${subcommand}"`, 'Use list, show, revoke or accesses.');
    }
  },
};

const runOne = async (
  subcommand: 'show' | 'revoke' | 'accesses',
  api: ManagementClient,
  id: string,
  io: Io,
  json: boolean,
): Promise<number> => {
  if (subcommand === 'show') {
    const link = await api.getLink(id);
    if (json) writeJson(io, link);
    else printLink(io, link);
    return 0;
  }
  if (subcommand === 'revoke') {
    await api.deleteLink(id);
    if (json) writeJson(io, { id, revoked: true });
    else writeLine(io.stdout, `Revoked link ${id}: receivers now get "not found".`);
    return 0;
  }
  const answer = await api.listAccesses(id);
  if (json) writeJson(io, answer);
  else printAccesses(io, answer);
  return 0;
};

/** A field of the server's answer for people: labels and recipients are others' words, escaped. */
const text = (value: unknown): string => (value === undefined || value === null ? '-' : terminalText(value));

const printList = (io: Io, answer: LinkList): void => {
  const { links } = answer;
  if (links.length === 0) {
    writeLine(io.stdout, 'No links.');
    return;
  }
  for (const link of links) {
    writeLine(
      io.stdout,
      `${text(link.id)}  ${text(link.status).padEnd(8)}  ${text(link.flag === '' ? '-' : link.flag).padEnd(3)}  ${text(link.label)}`,
    );
  }
  if (answer.nextCursor !== null) {
    writeLine(io.stdout, `More: shlkit links list --cursor ${text(answer.nextCursor)}`);
  }
};

const printLink = (io: Io, link: Link): void => {
  const out = (line: string) => writeLine(io.stdout, line);
  const now = Date.now();
  out(`id          ${text(link.id)}`);
  out(`status      ${text(link.status)}`);
  if (link.label !== null) out(`label       ${text(link.label)}`);
  out(`flag        ${link.flag === '' ? '(none)' : text(link.flag)}`);
  out(`expires     ${link.expiresAt !== null ? describeEpochSeconds(link.expiresAt, now) : 'never'}`);
  if (link.passcode) {
    out(
      `passcode    yes: ${text(link.remainingAttempts)} of ${text(link.passcodeAttempts)} wrong tries left`,
    );
  }
  if (link.zeroKnowledge)
    out('encryption  zero-knowledge: the server has no key; only the creator has the link');
  out(`files       ${text(link.fileCount)}`);
  out(
    `accesses    ${text(link.accessCount)}${link.lastAccessAt !== null ? `, last ${text(link.lastAccessAt)}` : ''}`,
  );
  out(`created     ${text(link.createdAt)}`);
  if (link.revokedAt !== null) out(`revoked     ${text(link.revokedAt)}`);
  if (link.shlink !== undefined) out(`shlink      ${text(link.shlink)}`);
  if (link.viewerUrl !== undefined) out(`viewer      ${text(link.viewerUrl)}`);
};

const printAccesses = (io: Io, answer: AccessList): void => {
  const { accesses } = answer;
  if (accesses.length === 0) {
    writeLine(io.stdout, 'No accesses yet.');
    return;
  }
  for (const access of accesses) {
    writeLine(
      io.stdout,
      `${text(access.at)}  ${text(access.outcome).padEnd(17)}  ${text(access.path).padEnd(8)}  ${text(access.recipient)}`,
    );
  }
};
