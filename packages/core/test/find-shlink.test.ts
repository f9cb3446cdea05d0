import { describe, expect, it } from 'vitest';
import {
  decodeShlink,
  encodeShlink,
  findShlink,
  inspectShlink,
  isShlError,
  readExpiry,
  type ShlPayload,
} from '../src/index.js';

const key = 'rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q';
const payload: ShlPayload = {
  url: 'https://shl.example.org/shl/Y9xwkUdtmN9wwoJoN3ffJIhX2UGvCL1JnlPVNL3kDWM',
  key,
  flag: 'LP',
  label: 'Summary for Dr. Lee, with enough words to make the link wrap in a mail client',
};
const bare = encodeShlink(payload);
const viewerLink = encodeShlink(payload, { viewerUrl: 'https://shl.example.org/view' });

/** Breaks text into lines of `width` characters, as mail clients and chat apps do with long words. */
const wrap = (text: string, width: number, lineStart = ''): string =>
  (text.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(`\n${lineStart}`);

describe('finding a link in pasted or scanned text', () => {
  it.each<[string, string]>([
    ['a bare link', bare],
    ['surrounding words and a full stop', `Hello, here is the summary: ${bare}. See you Monday`],
    ['angle brackets', `Open <${bare}> on your phone.`],
    ['double quotes', `"${bare}"`],
    ['single and typographic quotes', `‘${bare}’ and '${bare}'`],
    ['a markdown link', `[your summary](${bare})`],
    ['upper-case SHLINK:/', `SHLINK:/${bare.slice('shlink:/'.length)}`],
    ['mixed case Shlink:/ after a line break', `link:\r\nShlink:/${bare.slice('shlink:/'.length)}\r\n`],
    ['a link broken across lines', `Here it is:\n${wrap(bare, 72)}\n\nThanks, Bob`],
    ['a link broken after its prefix', `shlink:/\n${bare.slice('shlink:/'.length)}\nBob`],
    ['a wrapped link in a quoted e-mail', `> Here:\n> ${wrap(bare, 60, '> ')}\n> Thanks`],
    ['a percent-encoded prefix', `shlink%3A%2F${bare.slice('shlink:/'.length)}`],
  ])('finds it in %s', (_name, text) => {
    const found = findShlink(text);
    expect(found.shlink).toBe(bare);
    expect(found.viewerUrl).toBeUndefined();
    expect(decodeShlink(text)).toEqual(payload);
  });

  it.each<[string, string]>([
    ['as it is', viewerLink],
    ['in angle brackets with a full stop', `Please open <${viewerLink}>.`],
    ['in a markdown link', `Open [the viewer](${viewerLink}) please`],
    ['in quotes, wrapped over lines', `"${wrap(viewerLink, 50)}"`],
  ])('finds a viewer-prefixed link %s, and the viewer URL in front of it', (_name, text) => {
    expect(findShlink(text)).toEqual({ shlink: bare, viewerUrl: 'https://shl.example.org/view' });
    expect(inspectShlink(text).viewerUrl).toBe('https://shl.example.org/view');
  });

  it('keeps padding a sender wrote, and stops at it', () => {
    const padded = `${bare}${'='.repeat((4 - ((bare.length - 8) % 4)) % 4)}`;
    expect(padded).not.toBe(bare);
    expect(findShlink(`${padded}\nabc`).shlink).toBe(padded);
  });

  it('leaves the words after a complete link out, even when they look like base64url', () => {
    expect(findShlink(`${bare}\nThanks\nBob`).shlink).toBe(bare);
    expect(findShlink(`${bare} and more`).shlink).toBe(bare);
  });

  it('takes the first link that decodes when the text holds several', () => {
    const other = encodeShlink({ ...payload, label: 'second' });
    expect(findShlink(`shlink:/broken, then ${other} and ${bare}`).shlink).toBe(other);
  });

  it('returns a cut-off link as it is, so that decoding explains the problem', () => {
    const cut = bare.slice(0, 60);
    expect(findShlink(`${cut}.`).shlink).toBe(cut);
    const inspection = inspectShlink(`${cut}.`);
    expect(inspection.problems.map((p) => p.code)).toEqual(['SHL_INVALID_LINK']);
  });

  it('throws SHL_INVALID_LINK for text without any link', () => {
    for (const text of ['', 'https://example.org/view#abc', 'shlink:']) {
      let code: string | undefined;
      try {
        findShlink(text);
      } catch (error) {
        code = isShlError(error) ? error.code : 'not a ShlError';
      }
      expect(code).toBe('SHL_INVALID_LINK');
    }
  });
});

describe('reading an expiry', () => {
  it('gives a date for epoch seconds, and no date for milliseconds or absurd values', () => {
    expect(readExpiry(undefined)).toEqual({ kind: 'none' });
    const seconds = readExpiry(1_900_000_000);
    expect(seconds.kind === 'date' && seconds.date.toISOString()).toBe('2030-03-17T17:46:40.000Z');
    expect(readExpiry(1_900_000_000_000)).toMatchObject({ kind: 'invalid', reason: 'milliseconds' });
    expect(readExpiry(1e20)).toMatchObject({ kind: 'invalid', reason: 'out-of-range' });
    expect(readExpiry('1900000000')).toMatchObject({ kind: 'invalid', reason: 'not-a-number' });
  });

  it('decodes a link with an absurd exp, with a warning that says why', () => {
    for (const [exp, words] of [
      [1_900_000_000_000, 'looks like milliseconds'],
      [1e20, 'not a plausible date'],
    ] as const) {
      const text = `shlink:/${Buffer.from(JSON.stringify({ ...payload, exp })).toString('base64url')}`;
      expect(decodeShlink(text).exp).toBe(exp);
      const [warning] = inspectShlink(text).problems;
      expect(warning).toMatchObject({ code: 'SHL_INVALID_EXP', severity: 'warning' });
      expect(warning?.message).toContain(words);
    }
  });
});

/** The scanner's edges (issue 12: mutants of its patterns and bounds went unnoticed). */
describe('finding a link: where the payload starts, joins and ends', () => {
  const encoded = bare.slice('shlink:/'.length);
  /** The payload cut into `count` non-empty pieces of nearly equal length. */
  const pieces = (count: number): string[] => {
    const size = Math.floor(encoded.length / count);
    const longer = encoded.length % count;
    const cut: string[] = [];
    for (let i = 0, at = 0; i < count; i += 1) {
      const length = size + (i < longer ? 1 : 0);
      cut.push(encoded.slice(at, at + length));
      at += length;
    }
    expect(cut.join('')).toBe(encoded);
    expect(cut.every((piece) => piece !== '')).toBe(true);
    return cut;
  };
  const split = (count: number, separator: string): string => pieces(count).join(separator);
  const base64urlOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  it('reads the payload only right after the prefix: punctuation there makes an empty link', () => {
    expect(findShlink(`shlink:/, ${encoded}`).shlink).toBe('shlink:/');
  });

  it('does not join pieces across punctuation, whether a line break or a space follows it', () => {
    const cut = 60;
    for (const gap of ['\n', ' ']) {
      const text = `shlink:/${encoded.slice(0, cut)}.${encoded.slice(cut, cut + 1)}${gap}${encoded.slice(cut + 1)}`;
      expect(findShlink(text).shlink).toBe(`shlink:/${encoded.slice(0, cut)}`);
    }
  });

  it('joins pieces split by one space or by several', () => {
    expect(findShlink(`shlink:/${split(3, ' ')} Bob`).shlink).toBe(bare);
    expect(findShlink(`shlink:/${split(3, '   ')} Bob`).shlink).toBe(bare);
  });

  it('joins pieces across an empty quoted line and under nested quotes (">>")', () => {
    expect(findShlink(`> shlink:/${split(2, '\n>\n> ')}\n> Bob`).shlink).toBe(bare);
    expect(findShlink(`>> shlink:/${split(3, '\n>> ')}\n>> Bob`).shlink).toBe(bare);
  });

  it('joins at most 64 pieces', () => {
    expect(findShlink(`shlink:/${split(64, '\n')}`).shlink).toBe(bare);
    // The 65th piece is not joined: the link is reported cut off, as its first piece.
    expect(findShlink(`shlink:/${split(65, '\n')}`).shlink).toBe(`shlink:/${pieces(65)[0]}`);
  });

  it('joins another piece while the joined text is at most 8192 characters, and none after', () => {
    const long = base64urlOf({ ...payload, label: 'x'.repeat(7000) });
    expect(long.length).toBeGreaterThan(8193 + 10);
    expect(findShlink(`shlink:/${long.slice(0, 8192)}\n${long.slice(8192)}`).shlink).toBe(`shlink:/${long}`);
    expect(findShlink(`shlink:/${long.slice(0, 8193)}\n${long.slice(8193)}`).shlink).toBe(
      `shlink:/${long.slice(0, 8193)}`,
    );
  });

  it('keeps two padding characters, and takes no = from the words after the link', () => {
    let label = 'p';
    while (base64urlOf({ ...payload, label }).length % 4 !== 2) label += 'p';
    const twoShort = base64urlOf({ ...payload, label });
    expect(findShlink(`shlink:/${twoShort}==\nabc`).shlink).toBe(`shlink:/${twoShort}==`);
    expect(findShlink(`${bare} see x=1`).shlink).toBe(bare);
  });

  it('skips a payload that is JSON but not an object (array, number, string, null) for a later link', () => {
    for (const json of [[payload], 3, 'text', null]) {
      const text = `shlink:/${base64urlOf(json)} or ${bare}`;
      expect(findShlink(text).shlink).toBe(bare);
    }
  });

  it('has no viewer URL for a "#" with nothing in front of it', () => {
    for (const text of [`#${bare}`, `see #${bare}`]) {
      expect(findShlink(text)).toEqual({ shlink: bare, viewerUrl: undefined });
    }
  });
});
