import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeShlink, generateShlKey } from '@shlkit/core';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT_CODE_TABLE } from '../src/errors.js';
import { makeTempDir, samplePath, shlkit } from './harness.js';

const specExample = JSON.parse(
  await readFile(samplePath('shl-vectors/spec-payload-example.json'), 'utf8'),
) as {
  shlink: string;
  shlinkBare: string;
};

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  temp = await makeTempDir();
});
afterAll(async () => temp.remove());

describe('help and usage', () => {
  it('`shlkit help` lists every command and the exit-code table', async () => {
    const result = await shlkit(['help']);
    expect(result.code).toBe(0);
    for (const name of ['create', 'resolve', 'inspect', 'qr', 'links'])
      expect(result.stdout).toContain(`  ${name} `);
    for (const [code, meaning] of EXIT_CODE_TABLE) expect(result.stdout).toContain(`  ${code}  ${meaning}`);
  });

  it('every command has its own help, via --help and via `help COMMAND`', async () => {
    const list = await shlkit(['help']);
    const names = [...list.stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((match) => match[1] ?? '');
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names.filter((candidate) => candidate !== 'help')) {
      const viaFlag = await shlkit([name, '--help']);
      const viaHelp = await shlkit(['help', name]);
      expect(viaFlag.code).toBe(0);
      expect(viaFlag.stdout).toMatch(new RegExp(`^Usage: shlkit ${name}`));
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
    }
  });

  it('no arguments print the help to stderr with exit 2', async () => {
    const result = await shlkit([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: shlkit COMMAND');
  });

  it('an unknown command exits 2 and suggests the nearest one', async () => {
    const result = await shlkit(['inspekt', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "inspekt"');
    expect(result.stderr).toContain('shlkit inspect');
  });

  it('an unknown flag exits 2 and points at the command help', async () => {
    const result = await shlkit(['inspect', specExample.shlink, '--verbose']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--verbose'");
    expect(result.stderr).toContain('shlkit inspect --help');
  });

  it('refuses an empty --recipient (exit 2) before any request', async () => {
    const result = await shlkit(['resolve', specExample.shlink, '--recipient', '', '--passcode', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs options.recipient');
    expect(result.stderr).toContain('Give --recipient a non-empty name.');
  });

  it('with --json a usage error is a JSON document on stderr with code and exit code', async () => {
    const result = await shlkit(['qr', '--json']);
    expect(result.code).toBe(2);
    expect(result.error()).toMatchObject({
      code: 'CLI_USAGE',
      exitCode: 2,
      message: 'missing the LINK to draw',
    });
  });
});

describe('the README', () => {
  it('documents the same exit codes as `shlkit help`', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\|\s*(\d)\s*\|\s*(.+?)\s*\|$/gm)].map((row) => [
      Number(row[1]),
      row[2],
    ]);
    expect(rows).toEqual(EXIT_CODE_TABLE.map(([code, meaning]) => [code, meaning]));
  });
});

describe('shlkit inspect', () => {
  it("decodes the spec's example link and explains its fields, flags and label", async () => {
    const result = await shlkit(['inspect', specExample.shlink]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('viewer    https://viewer.example.org');
    expect(result.stdout).toContain(
      'url       https://ehr.example.org/qr/Y9xwkUdtmN9wwoJoN3ffJIhX2UGvCL1JnlPVNL3kDWM/m',
    );
    expect(result.stdout).toContain('L = long-term');
    expect(result.stdout).toContain('P = passcode');
    expect(result.stdout).toContain(
      '"Back-to-school immunizations for Oliver Brown" (unverified sender text)',
    );
    expect(result.stdout).toContain('OK: the link follows the SMART Health Links rules');
    // The key is a secret: inspect shows only enough to compare.
    expect(result.stdout).not.toContain('rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q');
  });

  it('explains every problem of a broken link with the rule it breaks, and exits 6', async () => {
    const broken = `shlink:/${Buffer.from(JSON.stringify({ url: 'ftp://x', key: 'abc', flag: 'UP' })).toString('base64url')}`;
    const result = await shlkit(['inspect', broken]);
    expect(result.code).toBe(6);
    expect(result.stdout).toContain('3 errors, 1 warning:');
    expect(result.stdout).toContain('ERROR SHL_INVALID_URL (url): url must be http(s), not ftp:');
    expect(result.stdout).toContain('ERROR SHL_INVALID_KEY (key)');
    expect(result.stdout).toContain('ERROR SHL_FLAG_CONFLICT (flag)');
    expect(result.stdout).toContain(
      'rule: flag is optional: single letters in alphabetical order from L, P, U; U SHALL NOT be combined with P.',
    );
    expect(result.stderr).toContain('the link is invalid (3 errors)');
  });

  it('says expired from exp * 1000 ms on, as the server counts it, and not a millisecond before', async () => {
    const key = generateShlKey();
    const exp = 2_000_000_000;
    const link = encodeShlink({ url: 'https://shl.example.org/m/abc', key, exp });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(exp * 1000 - 1);
      expect((await shlkit(['inspect', link, '--json'])).json()).toMatchObject({
        expires: { expired: false },
      });
      vi.setSystemTime(exp * 1000);
      expect((await shlkit(['inspect', link, '--json'])).json()).toMatchObject({
        expires: { expired: true },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows expiry in human time, and warns about exp in milliseconds without failing', async () => {
    const key = generateShlKey();
    const inAWeek = Math.floor(Date.now() / 1000) + 7 * 86_400 + 60;
    const ok = await shlkit([
      'inspect',
      encodeShlink({ url: 'https://shl.example.org/m/abc', key, exp: inAWeek }),
    ]);
    expect(ok.stdout).toMatch(/expires {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in 7 days\)/);
    const millis = `shlink:/${Buffer.from(JSON.stringify({ url: 'https://x.example/m', key, exp: inAWeek * 1000 })).toString('base64url')}`;
    const warned = await shlkit(['inspect', millis]);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain('WARNING SHL_INVALID_EXP (exp)');
    expect(warned.stdout).toContain('looks like milliseconds');
  });

  it('--json gives the payload, flag meanings, expiry and problems', async () => {
    const result = await shlkit(['inspect', specExample.shlinkBare, '--json']);
    expect(result.code).toBe(0);
    const json = result.json<{
      valid: boolean;
      payload: { flag: string };
      flags: { flag: string }[];
      problems: unknown[];
    }>();
    expect(json.valid).toBe(true);
    expect(json.payload.flag).toBe('LP');
    expect(json.flags.map((entry) => entry.flag)).toEqual(['L', 'P']);
    expect(json.problems).toEqual([]);
  });

  it('text without a link is invalid (exit 6) with the reason', async () => {
    const result = await shlkit(['inspect', 'https://example.org/not-a-link']);
    expect(result.code).toBe(6);
    expect(result.stdout).toContain('the text holds no "shlink:/"');
  });
});

describe('shlkit qr', () => {
  it('draws the QR code in the terminal', async () => {
    const result = await shlkit(['qr', specExample.shlink]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/[▀▄█]/);
    expect(result.stdout.split('\n').length).toBeGreaterThan(20);
  });

  it('writes a PNG that a QR reader decodes back to the whole link, viewer prefix included', async () => {
    const result = await shlkit(['qr', specExample.shlink, '--out', 'scan.png'], { cwd: temp.path });
    expect(result.stdout).toBe(`QR code written to ${join(temp.path, 'scan.png')} (png)\n`);
    const image = PNG.sync.read(await readFile(join(temp.path, 'scan.png')));
    // jsqr is CommonJS with a `default` property; that is the function under NodeNext types and at run time.
    const decoded = jsqr.default(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toBe(specExample.shlink);
  });

  it('writes PNG and SVG files chosen by extension', async () => {
    const png = await shlkit(['qr', specExample.shlink, '--out', 'link.png'], { cwd: temp.path });
    expect(png.code).toBe(0);
    const bytes = await readFile(join(temp.path, 'link.png'));
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svg = await shlkit(['qr', specExample.shlink, '--out', join(temp.path, 'link.svg'), '--json']);
    expect(svg.json()).toMatchObject({ format: 'svg', out: join(temp.path, 'link.svg') });
    expect(await readFile(join(temp.path, 'link.svg'), 'utf8')).toMatch(/^<svg /);
  });

  it('refuses an unknown image format (exit 2) and an invalid link (exit 6)', async () => {
    const gif = await shlkit(['qr', specExample.shlink, '--out', 'x.gif'], { cwd: temp.path });
    expect(gif.code).toBe(2);
    expect(gif.stderr).toContain('Name the file with .png or .svg');
    const invalid = await shlkit(['qr', 'shlink:/eyJ1cmwiOiJ4In0']);
    expect(invalid.code).toBe(6);
    expect(invalid.stderr).toContain('shlkit inspect LINK');
  });

  it('reports an unwritable output path with exit 8', async () => {
    const result = await shlkit(['qr', specExample.shlink, '--out', join(temp.path, 'missing-dir', 'x.png')]);
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('cannot write');
  });
});
