import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBase64url, encodeShlink, generateShlId, utf8 } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/errors.js';
import { terminalText } from '../src/support/terminal-text.js';
import { makeTempDir, samplePath, shlkit } from './harness.js';
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

// The static server answers every method with the route's body, so a manifest route answers the POST.
const staticRoutes: Record<string, { body: string; contentType: string }> = {};
let server: StaticServer;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  server = await startStaticServer(staticRoutes);
  temp = await makeTempDir();
});
afterAll(async () => {
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

  it('`shlkit links accesses` prints a recipient’s escape sequences escaped, in text; --json stays JSON', async () => {
    const answer = {
      accesses: [{ at: '2026-01-01T00:00:00Z', outcome: 'ok', path: 'manifest', recipient: hostile }],
    };
    const fetch = (async () =>
      new Response(JSON.stringify(answer), {
        headers: { 'content-type': 'application/json' },
      })) as typeof globalThis.fetch;
    const env = { SHLKIT_SERVER: 'https://shl.example.org', SHLKIT_API_KEY: 'k' };
    const text = await shlkit(['links', 'accesses', 'abc'], { env, fetch });
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(UNSAFE);
    expect(text.stdout.trim().split('\n')).toHaveLength(1);
    expect(text.stdout).toContain('\\x1b[2J\\x9b31mEvil\\u{202E}TXT.exe\\r\\nforged line');
    const json = await shlkit(['links', 'accesses', 'abc', '--json'], { env, fetch });
    expect(json.json()).toEqual(answer);
  });

  it('`shlkit links list` and `show` escape labels; error messages from the server are escaped too', async () => {
    const link = { id: 'abc', status: 'active', flag: '', label: hostile, shlink: 'shlink:/x' };
    const fetch = (async (input: string | URL | Request) => {
      const path = new URL(String(input)).pathname;
      if (path === '/api/links/bad') {
        return new Response(JSON.stringify({ error: { message: hostile } }), { status: 400 });
      }
      return new Response(JSON.stringify(path === '/api/links' ? { links: [link] } : link), {
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof globalThis.fetch;
    const env = { SHLKIT_SERVER: 'https://shl.example.org', SHLKIT_API_KEY: 'k' };
    for (const argv of [
      ['links', 'list'],
      ['links', 'show', 'abc'],
    ]) {
      const result = await shlkit(argv, { env, fetch });
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(UNSAFE);
      expect(result.stdout).toContain('\\u{202E}TXT.exe');
    }
    const failed = await shlkit(['links', 'show', 'bad'], { env, fetch });
    expect(failed.code).toBe(EXIT_CODES.SERVER);
    expect(failed.stderr).not.toMatch(UNSAFE);
    expect(failed.stderr).toContain('\\x9b31mEvil');
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
  const patient = { resourceType: 'Patient', name: [{ family: 'Müller', given: ['Zoë'] }] };
  const json = JSON.stringify(patient);

  /** A management API that records the created link's files and answers like a shlkit server. */
  const recordingServer = () => {
    const bodies: { files: { content: string }[] }[] = [];
    const fetch = (async (_input: string | URL | Request, init?: RequestInit) => {
      bodies.push(JSON.parse(String(init?.body)) as (typeof bodies)[number]);
      const payload = { url: 'https://shl.example.org/shl/abc', key: SPEC_KEY };
      return new Response(
        JSON.stringify({ id: 'abc', shlink: encodeShlink(payload), viewerUrl: 'https://v', payload }),
        { status: 201, headers: { 'content-type': 'application/json' } },
      );
    }) as typeof globalThis.fetch;
    return { bodies, fetch };
  };
  const env = { SHLKIT_SERVER: 'https://shl.example.org', SHLKIT_API_KEY: 'k' };

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
    const { bodies, fetch } = recordingServer();
    const result = await shlkit(['create', file], { env, fetch });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(bodies[0]?.files[0]?.content).toBe(json);
  });

  it('refuses a Latin-1 file with the offset and line of the first byte that is not UTF-8 (exit 6)', async () => {
    const latin1 = Buffer.from(
      `{\n  "resourceType": "Patient",\n  "name": [{"family": "Müller"}]\n}`,
      'latin1',
    );
    const file = join(temp.path, 'latin1.json');
    await writeFile(file, latin1);
    const { bodies, fetch } = recordingServer();
    const result = await shlkit(['create', file], { env, fetch });
    expect(result.code).toBe(EXIT_CODES.FORMAT);
    const offset = latin1.indexOf(0xfc);
    expect(result.stderr).toContain(`is not valid UTF-8: byte 0xFC at offset ${offset} (line 3)`);
    expect(result.stderr).toContain('Save the file as UTF-8');
    expect(bodies).toEqual([]);
    const asJson = await shlkit(['create', file, '--json'], { env, fetch });
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
    const result = await shlkit(['create', file], { env, fetch: recordingServer().fetch });
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
