import type { CreatedLink, CreateLinkBody, ManagementClient } from '@shlkit/api';
import {
  encodeShlink,
  encryptFile,
  FHIR_JSON,
  FHIR_JSON_R4,
  generateShlKey,
  type ShlPayload,
} from '@shlkit/core';
import {
  JSON_OPTION,
  parseCommandArgs,
  parsePositiveInteger,
  requirePositionals,
  SERVER_OPTIONS,
} from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT_CODES, usageError } from '../errors.js';
import { type Io, writeJson, writeLine } from '../io.js';
import { describeEpochSeconds, parseExpiry } from '../support/duration.js';
import { type InputFile, readInputFile } from '../support/input-files.js';
import { connectManagementApi } from '../support/management-api.js';
import { resolvePath } from '../support/paths.js';
import { renderTerminalQr, writeQrFile } from '../support/qr.js';

export const createCommand: Command = {
  name: 'create',
  summary: 'share files through a server: prints the link, viewer URL and QR code',
  help: `Usage: shlkit create FILE... [options] [--server URL --api-key KEY]

Shares one or more files as a SMART Health Link through a shlkit server's management API and prints
the link, the viewer URL and (on a terminal) its QR code. Each FILE is JSON: a FHIR resource such as an
IPS Bundle, a SMART Health Card file ({"verifiableCredential": [...]}) or SMART API access; the type is
detected from the content.

Options:
  --label TEXT         label shown to whoever scans the code, before any passcode (at most 80 chars)
  --passcode CODE      require this passcode (flag P); the server stores only a slow hash
  --attempts N         lifetime number of wrong passcodes before the link locks (server default: 5)
  --expires WHEN       expiry: a duration (30m, 12h, 7d, 2w) or an ISO date (2026-12-31T18:00:00Z)
  --long-term          flag L: the content may be updated later; receivers may poll
  --direct             flag U: one file fetched directly by GET (no manifest, no passcode)
  --encrypt-locally    zero-knowledge: generate the key and encrypt here; the server only ever gets
                       ciphertext and never learns the key (the link is assembled locally)
  --qr FILE            also write the QR code to FILE (.png or .svg)
  --server URL         the shlkit server (default: $SHLKIT_SERVER)
  --api-key KEY        a management API key (default: $SHLKIT_API_KEY)
  --json               print {id, shlink, viewerUrl, payload, managementToken, files, qr} as JSON
  -h, --help           show this help

Examples:
  shlkit create patient-summary.json --label "Summary for Dr. Lee" --passcode 4711 --expires 7d
  shlkit create ips.json --encrypt-locally --qr link.png --server https://shl.example.org`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('create', argv, {
      label: { type: 'string' },
      passcode: { type: 'string' },
      attempts: { type: 'string' },
      expires: { type: 'string' },
      'long-term': { type: 'boolean' },
      direct: { type: 'boolean' },
      'encrypt-locally': { type: 'boolean' },
      qr: { type: 'string' },
      ...SERVER_OPTIONS,
      ...JSON_OPTION,
    });
    requirePositionals('create', positionals, { min: 1 }, 'FILE: which file(s) to share');
    const options = linkOptions(values);
    if (values.direct && positionals.length > 1) {
      throw usageError(
        '--direct shares exactly one file',
        'Give one FILE, or drop --direct to share several.',
      );
    }
    if (values.qr !== undefined) resolveQrPath(io, values.qr);
    const api = connectManagementApi('create', values, io);
    const files: InputFile[] = [];
    for (const path of positionals) files.push(await readInputFile(io, path));

    const created = values['encrypt-locally']
      ? await createEncryptedLocally(api, files, options)
      : await api.createLink({
          ...options,
          // The text as read, not the parsed JSON: the receiver gets the file byte for byte.
          files: files.map((file) => ({ contentType: wireContentType(file), content: file.text })),
        });
    const { shlink } = created;
    if (typeof shlink !== 'string') {
      throw new CliError(
        'CLI_API_ERROR',
        EXIT_CODES.SERVER,
        'the server created the link but sent no shlink back',
        {
          hint: 'Is the server a shlkit server of the same version?',
        },
      );
    }
    const viewerUrl = created.viewerUrl ?? shlink;
    let qrPath: string | undefined;
    if (values.qr !== undefined) {
      qrPath = resolveQrPath(io, values.qr);
      await writeQrFile(qrPath, viewerUrl);
    }
    if (values.json) {
      writeJson(io, {
        id: created.id,
        shlink,
        viewerUrl,
        payload: created.payload,
        managementToken: created.managementToken,
        encryptedLocally: Boolean(values['encrypt-locally']),
        files: files.map((file) => ({ path: file.path, contentType: file.contentType })),
        qr: qrPath ?? null,
      });
      return 0;
    }
    printCreated(io, {
      id: created.id,
      shlink,
      viewerUrl,
      managementToken: created.managementToken,
      files,
      qrPath,
      passcode: options.passcode,
      expiresAt: options.expiresAt,
    });
    if (io.stdout.isTTY) io.stdout.write(await renderTerminalQr(viewerUrl));
    return 0;
  },
};

/** The settings of the link to create, as the management API names them. */
type LinkOptions = Pick<
  CreateLinkBody,
  'label' | 'passcode' | 'passcodeAttempts' | 'expiresAt' | 'longTerm' | 'direct'
>;

const linkOptions = (values: {
  label?: string | undefined;
  passcode?: string | undefined;
  attempts?: string | undefined;
  expires?: string | undefined;
  'long-term'?: boolean | undefined;
  direct?: boolean | undefined;
}): LinkOptions => {
  const options: LinkOptions = {};
  if (values.label !== undefined) {
    // Counted as receivers count it, in UTF-16 code units (an emoji outside the BMP counts 2).
    if (values.label.length > 80) {
      throw usageError(
        `--label is ${values.label.length} UTF-16 code units long; SHL allows at most 80`,
        'Shorten the label.',
      );
    }
    options.label = values.label;
  }
  if (values.passcode !== undefined) {
    if (values.passcode === '')
      throw usageError('--passcode is empty', 'Give a passcode, or leave the flag out.');
    if (values.direct) {
      throw usageError(
        '--passcode cannot be combined with --direct',
        'SHL: a direct-file link (flag U) is fetched by GET and cannot carry a passcode. Drop one of them.',
      );
    }
    options.passcode = values.passcode;
  }
  if (values.attempts !== undefined) {
    if (values.passcode === undefined) {
      throw usageError('--attempts only makes sense with --passcode', 'Add --passcode, or drop --attempts.');
    }
    options.passcodeAttempts = parsePositiveInteger('create', 'attempts', values.attempts);
  }
  if (values.expires !== undefined) options.expiresAt = parseExpiry(values.expires, Date.now());
  if (values['long-term']) options.longTerm = true;
  if (values.direct) options.direct = true;
  return options;
};

/** FHIR gets its version parameter, as SHL says servers SHOULD send it. */
const wireContentType = (file: InputFile): string =>
  file.contentType === FHIR_JSON ? FHIR_JSON_R4 : file.contentType;

/**
 * Zero-knowledge creation: the key is made here and never leaves this process except inside the link that
 * is printed. The server receives only JWEs (`files: [{contentType, jwe}]`) and answers with the payload
 * minus the key; the link is assembled here.
 */
const createEncryptedLocally = async (
  api: ManagementClient,
  files: InputFile[],
  options: LinkOptions,
): Promise<CreatedLink & { shlink: string; viewerUrl: string }> => {
  const key = generateShlKey();
  const encrypted = [];
  for (const file of files) {
    const contentType = wireContentType(file);
    // SHL lets senders compress (zip: DEF), but jose 5 and at least one deployed scanner cannot
    // inflate: like the server's default (SHL_COMPRESS_FILES=false), encrypt the file as it is.
    encrypted.push({ contentType, jwe: await encryptFile(file.text, key, { contentType }) });
  }
  const created = await api.createLink({ ...options, files: encrypted });
  if (created.payload.key !== undefined) {
    throw new CliError(
      'CLI_API_ERROR',
      EXIT_CODES.SERVER,
      'the server sent a key for a link it should not know the key of',
      {
        hint: 'The server does not honour zero-knowledge creation; do not use it for --encrypt-locally.',
      },
    );
  }
  const payload: ShlPayload = { ...created.payload, key };
  const viewerBase = viewerBaseFromLinkUrl(created.payload.url);
  return {
    ...created,
    payload,
    shlink: encodeShlink(payload),
    viewerUrl: encodeShlink(payload, { viewerUrl: viewerBase }),
  };
};

/**
 * The server builds link URLs as `PUBLIC_BASE_URL/shl/<id>` and serves its viewer at `PUBLIC_BASE_URL/view`,
 * so the viewer of a link the server could not encode itself sits beside the link's own path.
 */
const viewerBaseFromLinkUrl = (url: string): string => `${url.replace(/\/shl\/[^/]+\/?$/, '')}/view`;

const resolveQrPath = (io: Io, path: string): string => {
  const absolute = resolvePath(io, path);
  if (!/\.(png|svg)$/i.test(absolute)) {
    throw usageError(`--qr "${path}" must end in .png or .svg`, 'For example --qr link.png.');
  }
  return absolute;
};

const printCreated = (
  io: Io,
  link: {
    id: string;
    shlink: string;
    viewerUrl: string;
    managementToken: string;
    files: InputFile[];
    qrPath: string | undefined;
    passcode: string | undefined;
    expiresAt: number | undefined;
  },
): void => {
  const out = (line = '') => writeLine(io.stdout, line);
  out(`Created link ${link.id} with ${link.files.length} file${link.files.length === 1 ? '' : 's'}.`);
  out();
  out(`shlink:  ${link.shlink}`);
  out(`viewer:  ${link.viewerUrl}`);
  if (link.qrPath !== undefined) out(`qr:      ${link.qrPath}`);
  if (link.expiresAt !== undefined) out(`expires: ${describeEpochSeconds(link.expiresAt, Date.now())}`);
  if (link.passcode !== undefined) out('The link needs the passcode: give it to the recipient separately.');
  out();
  // Shown this once: the server keeps only its hash.
  out(`manage:  ${link.managementToken}`);
  out('         (a bearer token for this one link: read its access log, change or revoke it; keep it)');
};
