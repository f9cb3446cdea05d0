import { type ResolvedLink, type ResolveOptions, resolve } from '@shlkit/client';
import { JSON_OPTION, parseCommandArgs, requirePositionals } from '../args.js';
import type { Command } from '../command.js';
import { type Io, writeJson, writeLine } from '../io.js';
import { describeEpochSeconds } from '../support/duration.js';
import { saveFiles } from '../support/output-files.js';
import { resolvePath } from '../support/paths.js';
import { createProgress, formatBytes, withDownloadProgress } from '../support/progress.js';

const DEFAULT_RECIPIENT = 'shlkit command line';

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'fetch and decrypt a link, and save its files',
  help: `Usage: shlkit resolve LINK [--recipient NAME] [--passcode CODE] [--out DIR] [--json]

Opens a SMART Health Link as a receiving application: fetches the manifest (or the direct file of a
U link), downloads and decrypts every file, and lists them. With --out the files are written to DIR
exactly as decrypted (1-Bundle-<id>.json, 2.smart-health-card, ...).

Options:
  --recipient NAME          who is asking; the sharer sees it in the access log (default: "${DEFAULT_RECIPIENT}")
  --passcode CODE           the passcode of a P link (or set SHLKIT_PASSCODE, which stays out of ps/history);
                            a wrong passcode is never retried: each one counts against the link
  --out DIR                 write the decrypted files into DIR (created if missing)
  --allow-insecure-network  allow http:// and loopback/private addresses (a local test server); by default
                            they are refused, because the link's maker chooses every URL
  --json                    print {payload, status, files: [{contentType, lastUpdated, path, json}]} as JSON
  -h, --help                show this help

Exit codes: 3 inactive (expired, revoked, locked, unknown), 4 passcode required or wrong,
5 network, 6 invalid link or file. See \`shlkit help\` for all.

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
    const resolved = await resolve((positionals[0] ?? '').trim(), options);
    const paths =
      values.out === undefined ? [] : await saveFiles(resolvePath(io, values.out), resolved.files);
    if (values.json) {
      writeJson(io, toJson(resolved, paths));
      return 0;
    }
    printResolved(io, resolved, paths);
    return 0;
  },
};

const toJson = (resolved: ResolvedLink, paths: string[]) => {
  // The key opens the files: scripts have the link already and need not see it again in logs.
  const { key: _key, ...payload } = resolved.payload;
  return {
    payload,
    status: resolved.status ?? null,
    retryAfter: resolved.retryAfter ?? null,
    files: resolved.files.map((file, index) => ({
      contentType: file.contentType,
      lastUpdated: file.lastUpdated ?? null,
      path: paths[index] ?? null,
      json: file.json,
    })),
  };
};

const printResolved = (io: Io, resolved: ResolvedLink, paths: string[]): void => {
  const out = (line = '') => writeLine(io.stdout, line);
  const { payload } = resolved;
  if (typeof payload.label === 'string')
    out(`label:   ${JSON.stringify(payload.label)} (unverified sender text)`);
  if (resolved.status !== undefined) out(`status:  ${resolved.status}`);
  if (typeof payload.exp === 'number') out(`expires: ${describeEpochSeconds(payload.exp, Date.now())}`);
  out(`${resolved.files.length} file${resolved.files.length === 1 ? '' : 's'}:`);
  for (const [index, file] of resolved.files.entries()) {
    const size = formatBytes(new TextEncoder().encode(file.text).byteLength);
    const updated = file.lastUpdated ? `, updated ${file.lastUpdated}` : '';
    const saved = paths[index] === undefined ? '' : ` -> ${paths[index]}`;
    out(`  ${index + 1}. ${file.contentType} ${describeDocument(file.json)} (${size}${updated})${saved}`);
  }
  if (paths.length === 0 && resolved.files.length > 0)
    out('Save them with --out DIR, or print them with --json.');
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
