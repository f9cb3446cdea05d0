import { isWithdrawn, type ResolvedLink, type ResolveOptions, resolve } from '@shlkit/client';
import { statusMeaning } from '@shlkit/core';
import { JSON_OPTION, parseCommandArgs, requirePositionals } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_CODES } from '../errors.js';
import { type Io, writeJson, writeLine } from '../io.js';
import { describeEpochSeconds } from '../support/duration.js';
import { saveFiles } from '../support/output-files.js';
import { resolvePath } from '../support/paths.js';
import { createProgress, formatBytes, withDownloadProgress } from '../support/progress.js';
import { terminalText } from '../support/terminal-text.js';

const DEFAULT_RECIPIENT = 'shlkit command line';

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'fetch and decrypt a link, and save its files',
  help: `Usage: shlkit resolve LINK [--recipient NAME] [--passcode CODE] [--out DIR] [--json]

Opens a SMART Health Link as a receiving application: fetches the manifest (or the direct file of a
U link), downloads and decrypts every file, and lists them. With --out the files are written to DIR
exactly as decrypted (1-Bundle-<id>.json, 2.smart-health-card, ...). LINK may be pasted as received:
with text around it, in <...> or quotes, broken over lines, or behind a viewer URL.

When the sender has withdrawn the content (manifest or file status no-longer-valid, entered-in-error
or retracted), the files are still listed and saved, a warning goes to stderr and the exit code is 9.

Options:
  --recipient NAME          who is asking; the sharer sees it in the access log (default: "${DEFAULT_RECIPIENT}")
  --passcode CODE           the passcode of a P link (or set SHLKIT_PASSCODE, which stays out of ps/history);
                            a wrong passcode is never retried: each one counts against the link
  --out DIR                 write the decrypted files into DIR (created if missing)
  --allow-insecure-network  allow http:// and loopback/private addresses (a local test server); by default
                            they are refused, because the link's maker chooses every URL
  --json                    print {payload, status, withdrawn, files: [{contentType, status, lastUpdated,
                            path, json}]} as JSON
  -h, --help                show this help

Exit codes: 3 inactive (expired, revoked, locked, unknown), 4 passcode required or wrong,
5 network, 6 invalid link or file, 9 opened but withdrawn by the sender. See \`shlkit help\` for all.

Example:
  shlkit resolve 'https://shl.example.org/view#shlink:/eyJ...' --passcode 4711 --out ./received`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('resolve', argv, {
      recipient: { type: 'string' },
      passcode: { type: 'string' },
      out: { type: 'string', short: 'o' },
      'allow-insecure-network': { type: 'boolean' },
      ...JSON_OPTION,
    });
    requirePositionals('resolve', positionals, { min: 1, max: 1 }, 'the LINK to open');
    const progress = createProgress(io);
    const passcode = values.passcode ?? io.env.SHLKIT_PASSCODE;
    const options: ResolveOptions = {
      recipient: values.recipient ?? DEFAULT_RECIPIENT,
      fetch: io.stderr.isTTY ? withDownloadProgress(io.fetch, progress) : io.fetch,
      ...(passcode === undefined || passcode === '' ? {} : { passcode }),
      ...(values['allow-insecure-network'] ? { allowHttp: true, allowPrivateNetwork: true } : {}),
    };
    const resolved = await resolve(positionals[0] ?? '', options);
    const paths =
      values.out === undefined ? [] : await saveFiles(resolvePath(io, values.out), resolved.files);
    // Before the content: stderr is unbuffered, so on a terminal the warning comes first.
    warnAboutStatus(io, resolved, Boolean(values.json));
    if (values.json) writeJson(io, toJson(resolved, paths));
    else printResolved(io, resolved, paths);
    return isWithdrawn(resolved) ? EXIT_CODES.WITHDRAWN : 0;
  },
};

/**
 * SHL: `no-longer-valid` (and the ballot drafts' per-file `entered-in-error`, `retracted`) mean the sender
 * withdrew the content. It is still shown, for the record, but never as if it were current: a warning on
 * stderr and exit code 9. A status this version does not know is named too, without changing the exit code.
 */
const warnAboutStatus = (io: Io, resolved: ResolvedLink, json: boolean): void => {
  const notes: { code: string; message: string }[] = [];
  if (isWithdrawn(resolved)) {
    const files = resolved.files
      .map((file, index) => ({ index, status: file.status }))
      .filter(({ status }) => statusMeaning(status) === 'withdrawn')
      .map(({ index, status }) => `file ${index + 1} is ${terminalText(status)}`);
    const manifest =
      statusMeaning(resolved.status) === 'withdrawn' ? [`the link is ${terminalText(resolved.status)}`] : [];
    notes.push({
      code: 'CLI_CONTENT_WITHDRAWN',
      message: `WARNING: the sender has withdrawn this information (${[...manifest, ...files].join(', ')}). Do not use it as current; ask the sender for what replaces it.`,
    });
  }
  const unknown = [resolved.status, ...resolved.files.map((file) => file.status)].filter(
    (status): status is string => statusMeaning(status) === 'unknown',
  );
  if (unknown.length > 0) {
    notes.push({
      code: 'CLI_UNKNOWN_STATUS',
      message: `note: the server gave a status this version does not know (${[...new Set(unknown)].map((s) => JSON.stringify(terminalText(s))).join(', ')}); check with the sender before relying on the content.`,
    });
  }
  for (const note of notes) {
    if (json) io.stderr.write(`${JSON.stringify({ warning: note })}\n`);
    else writeLine(io.stderr, `shlkit: ${note.message}`);
  }
};

const toJson = (resolved: ResolvedLink, paths: string[]) => {
  // The key opens the files: scripts have the link already and need not see it again in logs.
  const { key: _key, ...payload } = resolved.payload;
  return {
    payload,
    status: resolved.status ?? null,
    withdrawn: isWithdrawn(resolved),
    retryAfter: resolved.retryAfter ?? null,
    files: resolved.files.map((file, index) => ({
      contentType: file.contentType,
      status: file.status ?? null,
      lastUpdated: file.lastUpdated ?? null,
      path: paths[index] ?? null,
      json: file.json,
    })),
  };
};

const printResolved = (io: Io, resolved: ResolvedLink, paths: string[]): void => {
  // Everything printed here comes from the link's maker or its server: escaped before it reaches the terminal.
  const out = (line = '') => writeLine(io.stdout, line);
  const { payload } = resolved;
  if (typeof payload.label === 'string')
    out(`label:   ${terminalText(JSON.stringify(payload.label))} (unverified sender text)`);
  if (resolved.status !== undefined)
    out(`status:  ${terminalText(resolved.status)}${describeStatus(resolved.status)}`);
  if (typeof payload.exp === 'number') out(`expires: ${describeEpochSeconds(payload.exp, Date.now())}`);
  out(`${resolved.files.length} file${resolved.files.length === 1 ? '' : 's'}:`);
  for (const [index, file] of resolved.files.entries()) {
    const size = formatBytes(new TextEncoder().encode(file.text).byteLength);
    const updated = file.lastUpdated ? `, updated ${terminalText(file.lastUpdated)}` : '';
    const status =
      file.status === undefined ? '' : `, status ${terminalText(file.status)}${describeStatus(file.status)}`;
    const saved = paths[index] === undefined ? '' : ` -> ${terminalText(paths[index])}`;
    const what = terminalText(`${file.contentType} ${describeDocument(file.json)}`);
    out(`  ${index + 1}. ${what} (${size}${updated}${status})${saved}`);
  }
  if (paths.length === 0 && resolved.files.length > 0)
    out('Save them with --out DIR, or print them with --json.');
};

const describeStatus = (status: string): string => {
  switch (statusMeaning(status)) {
    case 'withdrawn':
      return ' (WITHDRAWN by the sender)';
    case 'unknown':
      return ' (unknown to this version)';
    case 'current':
      return '';
  }
};

/** A few words about a decrypted document, so people see what they received. */
const describeDocument = (json: unknown): string => {
  if (typeof json !== 'object' || json === null) return '';
  const record = json as Record<string, unknown>;
  if (Array.isArray(record.verifiableCredential)) {
    return `SMART Health Card, ${record.verifiableCredential.length} credential(s)`;
  }
  if (typeof record.resourceType === 'string') {
    const entries = Array.isArray(record.entry) ? `, ${record.entry.length} entries` : '';
    const type = typeof record.type === 'string' ? ` (${record.type})` : '';
    return `${record.resourceType}${type}${entries}`;
  }
  if (typeof record.access_token === 'string') return `API access for ${String(record.aud)}`;
  return '';
};
