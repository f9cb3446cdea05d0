import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBase64url, encodeShlink, generateShlId, utf8 } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/errors.js';
import { terminalText } from '../src/support/terminal-text.js';
import { makeTempDir, type RunningCommand, samplePath, shlkit, startShlkit, waitFor } from './harness.js';
import { type StaticServer, startStaticServer } from './static-server.js';

// Issue 11, the link and manifest shapes as the CLI meets them: withdrawn content, pasted links, absurd
// expiry, text from others on the terminal, and files that are not plain UTF-8.
const SPEC_KEY = 'rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q';
const specJwe = (await readFile(samplePath('shl-vectors/spec-example-encrypted-shc.jwe.txt'), 'utf8')).trim();
const SHC = 'application/smart-health-card';
const ESC = '\u001b';
/** Any character that would act on a terminal (a line feed ends each printed line, so it is allowed). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
const hostile = `${ESC}]0;pwned${ESC}\\${ESC}[2J\u009b31mEvil\u202eTXT.exe\r\nforged line`;

const patient = { resourceType: 'Patient', name: [{ family: 'Müller', given: ['Zoë'] }] };

// The static server answers every method with the route's body, so a manifest route answers the POST.
const staticRoutes: Record<string, { body: string; contentType: string }> = {};
let server: StaticServer;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let patientFile: string;
/** A real shlkit server (in-memory database) for the management commands. */
const shlServer = { env: {} as Record<string, string>, running: undefined as RunningCommand | undefined };
const API_KEY = 'cli-link-shapes-test-token-0123456789';
beforeAll(async () => {
  server = await startStaticServer(staticRoutes);
  temp = await makeTempDir();
  patientFile = join(temp.path, 'patient.json');
  await writeFile(patientFile, JSON.stringify(patient));
  const running = startShlkit(['serve'], {
    env: {
      DATA_DIR: 'memory://',
      PORT: '0',
      HOST: '127.0.0.1',
      SHL_DEMO: 'false',
      LOG_LEVEL: 'silent',
      SHL_API_KEY: API_KEY,
    },
  });
  shlServer.running = running;
  const url = await waitFor(running, () => /listening on (\S+)/.exec(running.stdout())?.[1]);
  shlServer.env = { SHLKIT_SERVER: url, SHLKIT_API_KEY: API_KEY };
});
afterAll(async () => {
  shlServer.running?.stop();
  await shlServer.running?.done;
  await server.close();
  await temp.remove();
});

/** Publishes `manifest` on the static server and answers a link to it. */
const manifestLink = (manifest: unknown, extra: Record<string, unknown> = {}): string => {
  const id = generateShlId();
  staticRoutes[`/${id}`] = { body: JSON.stringify(manifest), contentType: 'application/json' };
  const payload = { url: `${server.url}/${id}`, key: SPEC_KEY, ...extra };
  return `shlink:/${encodeBase64url(utf8(JSON.stringify(payload)))}`;
};
const resolveArgs = (link: string, ...more: string[]) => [
  'resolve',
  link,
  '--allow-insecure-network',
  ...more,
];

describe('shlkit resolve and withdrawn content', () => {
  it('warns on stderr and exits 9 when the manifest says no-longer-valid, still listing the file', async () => {
    const link = manifestLink({
      status: 'no-longer-valid',
      files: [{ contentType: SHC, embedded: specJwe }],
    });
    const result = await shlkit(resolveArgs(link));
    expect(result.code).toBe(EXIT_CODES.WITHDRAWN);
    expect(result.code).toBe(9);
    expect(result.stderr).toContain('WARNING: the sender has withdrawn this information');
    expect(result.stderr).toContain('the link is no-longer-valid');
    expect(result.stdout).toContain('status:  no-longer-valid (WITHDRAWN by the sender)');
    expect(result.stdout).toContain('1. application/smart-health-card SMART Health Card');
  });

  it.each(['entered-in-error', 'retracted'])(
    'exits 9 for a file a ballot-draft server marks %s, naming the file',
    async (status) => {
      const link = manifestLink({
        files: [
          { contentType: SHC, embedded: specJwe },
          { contentType: SHC, embedded: specJwe, status },
        ],
      });
      const result = await shlkit(resolveArgs(link));
      expect(result.code).toBe(9);
      expect(result.stderr).toContain(`(file 2 is ${status})`);
      expect(result.stdout).toContain(`status ${status} (WITHDRAWN by the sender)`);
    },
  );

  it('--json says withdrawn, keeps every status, and puts the warning on stderr as JSON', async () => {
    const link = manifestLink({
      status: 'can-change',
      files: [{ contentType: SHC, embedded: specJwe, status: 'retracted' }],
    });
    const result = await shlkit(resolveArgs(link, '--json'));
    expect(result.code).toBe(9);
    expect(result.json()).toMatchObject({
      status: 'can-change',
      withdrawn: true,
      files: [{ contentType: SHC, status: 'retracted' }],
    });
    expect(JSON.parse(result.stderr)).toMatchObject({ warning: { code: 'CLI_CONTENT_WITHDRAWN' } });
  });

  it('names a status it does not know, and exits 0', async () => {
    const link = manifestLink({ status: 'paused', files: [{ contentType: SHC, embedded: specJwe }] });
    const result = await shlkit(resolveArgs(link));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('a status this version does not know ("paused")');
    expect(result.stdout).toContain('status:  paused (unknown to this version)');
  });

  it('says nothing more for current content', async () => {
    const link = manifestLink({ status: 'finalized', files: [{ contentType: SHC, embedded: specJwe }] });
    const result = await shlkit(resolveArgs(link));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('opens a link pasted from an e-mail: words around it, angle brackets, wrapped lines', async () => {
    const link = manifestLink({ files: [{ contentType: SHC, embedded: specJwe }] }, { label: 'Lab' });
    const wrapped = (link.match(/.{1,50}/g) ?? []).join('\n');
    const result = await shlkit(resolveArgs(`Your results: <https://viewer.example/view#${wrapped}>.`));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('label:   "Lab"');
  });

  it('shows an exp in milliseconds as "not a date", never as the year 58903', async () => {
    const exp = 1_900_000_000_000;
    const link = manifestLink({ files: [{ contentType: SHC, embedded: specJwe }] }, { exp });
    const result = await shlkit(resolveArgs(link));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`expires: ${exp} (not a date: it looks like milliseconds, not seconds)`);
    const inspected = await shlkit(['inspect', link, '--json']);
    expect(inspected.json()).toMatchObject({ expires: { epochSeconds: exp, iso: null } });
  });
});

describe('text that others chose, on the terminal', () => {
  it('escapes C0, C1, DEL and bidi controls, and leaves other text alone', () => {
    expect(terminalText(hostile)).toBe(
      '\\x1b]0;pwned\\x1b\\\\x1b[2J\\x9b31mEvil\\u{202E}TXT.exe\\r\\nforged line',
    );
    expect(terminalText('Müller, 山田, שלום\u007f\u2066')).toBe('Müller, 山田, שלום\\x7f\\u{2066}');
  });

  it('`shlkit links accesses`, `list` and `show` never print controls: our server refuses a hostile recipient, a label’s are escaped; --json stays JSON', async () => {
    // Our server refuses C0/C1 controls in a label (400 SHL_INVALID_LABEL), and the refusal reaches the
    // terminal escaped; format characters (bidi overrides) are text it keeps, and the CLI escapes them.
    const refusedLabel = await shlkit(['create', patientFile, '--label', hostile, '--json'], {
      env: shlServer.env,
    });
    expect(refusedLabel.code).toBe(7);
    expect(refusedLabel.stderr).not.toMatch(UNSAFE);
    expect(JSON.parse(refusedLabel.stderr)).toMatchObject({ error: { serverCode: 'SHL_INVALID_LABEL' } });
    const created = await shlkit(
      ['create', patientFile, '--label', 'Evil\u202eTXT.exe\u2066 (label)', '--json'],
      {
        env: shlServer.env,
      },
    );
    expect(created.stderr).toBe('');
    const { id, shlink } = created.json<{ id: string; shlink: string }>();
    // Our server refuses control, format (bidi) and line-separator characters in a recipient, so a
    // hostile name never reaches its access log (other servers' and older logs go through the same
    // terminalText as the label below); the refusal itself reaches the terminal escaped.
    const hostileRecipient = 'Dr. Mallory\u202eexe.txt\u2066 (front desk)';
    const refused = await shlkit([
      'resolve',
      shlink,
      '--allow-insecure-network',
      '--recipient',
      hostileRecipient,
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).not.toMatch(UNSAFE);
    const recipient = 'Dr. Mallory (front desk)';
    const opened = await shlkit(['resolve', shlink, '--allow-insecure-network', '--recipient', recipient]);
    expect(opened.stderr).toBe('');
    expect(opened.code).toBe(0);

    const accesses = await shlkit(['links', 'accesses', id], { env: shlServer.env });
    expect(accesses.code).toBe(0);
    expect(accesses.stdout).not.toMatch(UNSAFE);
    expect(accesses.stdout).toContain(recipient);
    for (const argv of [
      ['links', 'list'],
      ['links', 'show', id],
    ]) {
      const result = await shlkit(argv, { env: shlServer.env });
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(UNSAFE);
      expect(result.stdout).toContain('\\u{202E}TXT.exe');
    }
    const json = await shlkit(['links', 'accesses', id, '--json'], { env: shlServer.env });
    expect(JSON.stringify(json.json())).toContain(JSON.stringify(recipient));
  });

  it('error messages are escaped too: a file name with controls in it', async () => {
    const result = await shlkit(['create', join(temp.path, `${hostile}.json`)], { env: shlServer.env });
    expect(result.code).toBe(EXIT_CODES.LOCAL_FILE);
    expect(result.stderr).not.toMatch(UNSAFE);
    expect(result.stderr).toContain(`no such file: ${terminalText(join(temp.path, hostile))}.json`);
  });

  it('`shlkit resolve` and `inspect` escape the label and the document’s words', async () => {
    const link = manifestLink({ files: [{ contentType: SHC, embedded: specJwe }] }, { label: hostile });
    for (const argv of [resolveArgs(link), ['inspect', link]]) {
      const result = await shlkit(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(UNSAFE);
      expect(result.stdout).toContain('\\u{202E}TXT.exe');
    }
  });
});

describe('shlkit create and the encoding of its files', () => {
  const json = JSON.stringify(patient);
  /** Links on the server, to see that a refused file made none. */
  const linkCount = async () =>
    (await shlkit(['links', 'list', '--json'], { env: shlServer.env })).json<{ links: unknown[] }>().links
      .length;

  it.each<[string, Buffer]>([
    ['UTF-8', Buffer.from(json, 'utf8')],
    ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)])],
    [
      'UTF-16LE with a byte order mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]),
    ],
    [
      'UTF-16BE with a byte order mark',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(json, 'utf16le').swap16()]),
    ],
  ])('shares a file in %s as the same UTF-8 text, without a BOM', async (name, bytes) => {
    const file = join(temp.path, `${name.replace(/\W+/g, '-')}.json`);
    await writeFile(file, bytes);
    const created = await shlkit(['create', file, '--json'], { env: shlServer.env });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    // What a receiver gets, byte for byte: the text, as UTF-8, with no BOM.
    const out = join(temp.path, `received-${name.replace(/\W+/g, '-')}`);
    const { shlink } = created.json<{ shlink: string }>();
    const resolved = await shlkit(['resolve', shlink, '--allow-insecure-network', '--out', out, '--json']);
    const [saved] = resolved.json<{ files: { path: string }[] }>().files;
    expect(await readFile(saved?.path ?? '')).toEqual(Buffer.from(json, 'utf8'));
  });

  it('refuses a Latin-1 file with the offset and line of the first byte that is not UTF-8 (exit 6)', async () => {
    const latin1 = Buffer.from(
      `{\n  "resourceType": "Patient",\n  "name": [{"family": "Müller"}]\n}`,
      'latin1',
    );
    const file = join(temp.path, 'latin1.json');
    await writeFile(file, latin1);
    const before = await linkCount();
    const result = await shlkit(['create', file], { env: shlServer.env });
    expect(result.code).toBe(EXIT_CODES.FORMAT);
    const offset = latin1.indexOf(0xfc);
    expect(result.stderr).toContain(`is not valid UTF-8: byte 0xFC at offset ${offset} (line 3)`);
    expect(result.stderr).toContain('Save the file as UTF-8');
    expect(await linkCount()).toBe(before);
    const asJson = await shlkit(['create', file, '--json'], { env: shlServer.env });
    expect(asJson.error()).toMatchObject({ code: 'CLI_INVALID_ENCODING', exitCode: 6, offset });
  });

  it.each<[string, number[], RegExp]>([
    ['an overlong encoding', [0x7b, 0xc0, 0xaf, 0x7d], /byte 0xC0 at offset 1/],
    ['an encoded surrogate', [0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d], /byte 0xED at offset 2/],
    ['a sequence cut off at the end', [0x7b, 0xe2, 0x82], /byte 0xE2 at offset 1/],
    ['UTF-32', [0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0], /UTF-32/],
    ['UTF-16 without a byte order mark', [0x7b, 0, 0x7d, 0], /UTF-16 without a byte order mark/],
  ])('refuses %s, saying what it is', async (name, bytes, message) => {
    const file = join(temp.path, `${name.replace(/\W+/g, '-')}.json`);
    await writeFile(file, Buffer.from(bytes));
    const result = await shlkit(['create', file], { env: shlServer.env });
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(message);
  });
});

describe('shlkit qr and pasted text', () => {
  it('draws only the link found in the text, viewer prefix included', async () => {
    const link = encodeShlink({ url: 'https://shl.example.org/shl/abc', key: SPEC_KEY });
    const result = await shlkit(['qr', `Here: "https://v.example/view#${link}".`, '--json']);
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ link: `https://v.example/view#${link}` });
  });
});
