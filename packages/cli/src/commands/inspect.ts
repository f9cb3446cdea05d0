import { hasFlag, inspectShlink, readExpiry, type ShlinkInspection } from '@shlkit/core';
import { JSON_OPTION, parseCommandArgs, requirePositionals } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT_CODES } from '../errors.js';
import { type Io, writeJson, writeLine } from '../io.js';
import { describeEpochSeconds } from '../support/duration.js';
import { terminalText } from '../support/terminal-text.js';

const FLAG_MEANINGS: Record<string, string> = {
  L: 'long-term: the content may change; receivers may poll for updates',
  P: 'passcode: the manifest request needs a passcode (ask the sender)',
  U: 'direct file: the url is one encrypted file fetched by GET, no manifest',
};

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'decode and check a link offline, explaining every problem',
  help: `Usage: shlkit inspect LINK [--json]

Decodes a SMART Health Link (bare "shlink:/..." or a viewer URL "https://host/view#shlink:/...")
WITHOUT any network access, shows its fields in plain words and checks it against the SHL rules.
Every problem is explained with the rule it breaks. The key is shown shortened; use --json for all.
LINK may be pasted as received: with text around it, in <...> or quotes, or broken over lines.

Options:
  --json        print {link, payload, viewerUrl, flags, expires, problems, valid} as JSON
  -h, --help    show this help

Exit codes: 0 the link follows the rules (warnings allowed), 6 the link is invalid.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('inspect', argv, { ...JSON_OPTION });
    requirePositionals('inspect', positionals, { min: 1, max: 1 }, 'the LINK to inspect');
    const inspection = inspectShlink(positionals[0] ?? '');
    const errors = inspection.problems.filter((problem) => problem.severity === 'error');
    const now = Date.now();
    if (values.json) {
      writeJson(io, toJson(inspection, now, errors.length === 0));
    } else {
      printInspection(io, inspection, now, positionals[0] ?? '');
    }
    if (errors.length > 0) {
      throw new CliError(
        errors[0]?.code ?? 'SHL_INVALID_LINK',
        EXIT_CODES.FORMAT,
        `the link is invalid (${errors.length} error${errors.length === 1 ? '' : 's'})`,
        { hint: 'Ask the sender for the link again; a copied link is often cut short.' },
      );
    }
    return 0;
  },
};

// `expired`: from `exp * 1000` ms on, as the server and JWT `exp` count it (RFC 7519 4.1.4: "on or
// after"); at `exp * 1000 - 1` the link is still live.
const toJson = (inspection: ShlinkInspection, now: number, valid: boolean) => {
  const { payload } = inspection;
  const flags = typeof payload?.flag === 'string' ? [...payload.flag] : [];
  return {
    valid,
    link: inspection.shlink ?? null,
    viewerUrl: inspection.viewerUrl ?? null,
    payload: payload ?? null,
    flags: flags.map((letter) => ({ flag: letter, meaning: FLAG_MEANINGS[letter] ?? 'unknown: ignored' })),
    expires:
      typeof payload?.exp === 'number'
        ? { epochSeconds: payload.exp, iso: safeIso(payload.exp), expired: payload.exp * 1000 <= now }
        : null,
    problems: inspection.problems,
  };
};

/** No date for an `exp` that is not one in seconds (milliseconds, absurd values): null, never year 58903. */
const safeIso = (exp: number): string | null => {
  const reading = readExpiry(exp);
  return reading.kind === 'date' ? reading.date.toISOString() : null;
};

const printInspection = (io: Io, inspection: ShlinkInspection, now: number, given: string): void => {
  // Every line shows what the link's maker wrote (url, label, unknown fields, values in problem messages).
  const out = (line = '') => writeLine(io.stdout, terminalText(line));
  const { payload } = inspection;
  if (inspection.shlink !== undefined && !isWholeText(inspection, given)) {
    out('found     the link inside the text given; the text around it was left out');
  }
  if (inspection.viewerUrl !== undefined) out(`viewer    ${inspection.viewerUrl}`);
  if (payload) {
    out(`url       ${String(payload.url)}`);
    out(`key       ${typeof payload.key === 'string' ? shorten(payload.key) : String(payload.key)}`);
    const flag = typeof payload.flag === 'string' ? payload.flag : '';
    out(`flag      ${flag === '' ? '(none): a manifest link, no passcode, fixed content' : flag}`);
    for (const letter of flag)
      out(`          ${letter} = ${FLAG_MEANINGS[letter] ?? 'unknown to SHL v1: ignored'}`);
    if (typeof payload.flag === 'string' && hasFlag(payload, 'U')) {
      out('          fetched with GET <url>?recipient=..., exactly one file');
    }
    if (payload.exp !== undefined) {
      out(
        `expires   ${typeof payload.exp === 'number' ? describeEpochSeconds(payload.exp, now) : JSON.stringify(payload.exp)}`,
      );
    } else {
      out('expires   (no exp: the server decides)');
    }
    if (payload.label !== undefined)
      out(`label     ${JSON.stringify(payload.label)} (unverified sender text)`);
    out(`version   ${payload.v === undefined ? '1 (omitted)' : JSON.stringify(payload.v)}`);
    const extra = Object.keys(payload).filter(
      (key) => !['url', 'key', 'exp', 'flag', 'label', 'v'].includes(key),
    );
    if (extra.length > 0) out(`other     ${extra.join(', ')} (ignored by receivers)`);
  }
  out();
  if (inspection.problems.length === 0) {
    out('OK: the link follows the SMART Health Links rules (STU 1).');
    return;
  }
  const errors = inspection.problems.filter((problem) => problem.severity === 'error').length;
  const warnings = inspection.problems.length - errors;
  out(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}:`);
  for (const problem of inspection.problems) {
    out(
      `  ${problem.severity.toUpperCase()} ${problem.code}${problem.field ? ` (${problem.field})` : ''}: ${problem.message}`,
    );
    out(`    rule: ${problem.rule}`);
  }
};

/** Whether the text given was the link and nothing else (white space aside). */
const isWholeText = (inspection: ShlinkInspection, given: string): boolean => {
  const link =
    inspection.viewerUrl === undefined ? inspection.shlink : `${inspection.viewerUrl}#${inspection.shlink}`;
  return given.trim() === link;
};

/** The key is a secret: show enough to compare, not enough to use. */
const shorten = (key: string): string =>
  key.length > 12
    ? `${key.slice(0, 4)}...${key.slice(-4)} (${key.length} characters)`
    : `${key} (${key.length} characters)`;
