import { describe, expect, it } from 'vitest';
import {
  assertSupportedVersion,
  decodeShlink,
  encodeShlink,
  formatFlags,
  generateShlId,
  hasFlag,
  generateShlKey,
  inspectShlink,
  isShlError,
  parseFlags,
  type ShlErrorCode,
  type ShlPayload,
} from '../src/index.js';
import { readSampleJson } from '../../../test-support/samples.js';

interface SpecExample {
  payload: ShlPayload;
  shlinkBare: string;
  shlink: string;
}
const spec = readSampleJson<SpecExample>('shl-vectors/spec-payload-example.json');
const key = 'rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q';
const url = 'https://shl.example.org/shl/Y9xwkUdtmN9wwoJoN3ffJIhX2UGvCL1JnlPVNL3kDWM';

const encodeRaw = (json: unknown) => `shlink:/${Buffer.from(JSON.stringify(json)).toString('base64url')}`;

const expectCode = (fn: () => unknown, code: ShlErrorCode) => {
  try {
    fn();
  } catch (error) {
    expect(isShlError(error) ? error.code : error).toBe(code);
    return;
  }
  expect.unreachable(`expected ${code}`);
};

describe('encoding a link', () => {
  it('reproduces the spec example byte for byte', () => {
    expect(encodeShlink(spec.payload)).toBe(spec.shlinkBare);
  });

  it('puts a viewer URL in front with one #', () => {
    expect(encodeShlink(spec.payload, { viewerUrl: 'https://viewer.example.org' })).toBe(spec.shlink);
    expect(encodeShlink(spec.payload, { viewerUrl: 'https://viewer.example.org#' })).toBe(spec.shlink);
  });

  it('writes base64url without padding', () => {
    const link = encodeShlink({ url, key, label: 'x' });
    expect(link).not.toMatch(/=/);
  });

  it.each<[string, Partial<ShlPayload> & Record<string, unknown>, ShlErrorCode]>([
    ['a key of 42 characters', { key: key.slice(1) }, 'SHL_INVALID_KEY'],
    ['a key with a non-base64url character', { key: `${key.slice(1)}+` }, 'SHL_INVALID_KEY'],
    ['a missing key', { key: undefined }, 'SHL_INVALID_KEY'],
    ['a url of 129 characters', { url: `https://a.example/${'x'.repeat(111)}` }, 'SHL_URL_TOO_LONG'],
    ['a relative url', { url: '/shl/abc' }, 'SHL_INVALID_URL'],
    ['a non-http url', { url: 'ftp://example.org/x' }, 'SHL_INVALID_URL'],
    ['a label of 81 characters', { label: 'é'.repeat(81) }, 'SHL_LABEL_TOO_LONG'],
    ['a label of 41 emoji (82 UTF-16 code units)', { label: '😀'.repeat(41) }, 'SHL_LABEL_TOO_LONG'],
    ['exp as a string', { exp: '1767225600' as unknown as number }, 'SHL_INVALID_EXP'],
    ['exp in milliseconds', { exp: 1767225600000 }, 'SHL_INVALID_EXP'],
    ['flags out of order', { flag: 'PL' }, 'SHL_INVALID_FLAG'],
    ['an unknown flag', { flag: 'LX' }, 'SHL_INVALID_FLAG'],
    ['U with P', { flag: 'PU' }, 'SHL_FLAG_CONFLICT'],
    ['v that is not an integer', { v: 1.5 }, 'SHL_INVALID_VERSION'],
  ])('refuses %s', (_name, change, code) => {
    expectCode(() => encodeShlink({ url, key, ...change } as ShlPayload), code);
  });

  it('accepts a label of exactly 80 characters, counted as characters not bytes', () => {
    expect(() => encodeShlink({ url, key, label: 'é'.repeat(80) })).not.toThrow();
    expect(() => encodeShlink({ url, key, label: '😀'.repeat(40) })).not.toThrow();
  });

  it('accepts every legal flag combination', () => {
    for (const flag of ['', 'L', 'P', 'U', 'LP', 'LU']) {
      expect(decodeShlink(encodeShlink({ url, key, flag })).flag).toBe(flag);
    }
  });
});

describe('decoding a link', () => {
  it('reads the spec example bare and behind a viewer URL', () => {
    expect(decodeShlink(spec.shlinkBare)).toEqual(spec.payload);
    expect(decodeShlink(spec.shlink)).toEqual(spec.payload);
    expect(inspectShlink(spec.shlink).viewerUrl).toBe('https://viewer.example.org');
  });

  it('accepts base64url with padding and surrounding white space', () => {
    const bare = encodeShlink({ url, key, label: 'ab' });
    const padding = '='.repeat((4 - ((bare.length - 'shlink:/'.length) % 4)) % 4);
    expect(padding.length).toBeGreaterThan(0);
    expect(decodeShlink(`  ${bare}${padding}\n`).label).toBe('ab');
  });

  it('ignores unknown fields and unknown flags', () => {
    const payload = decodeShlink(encodeRaw({ url, key, flag: 'LPX', future: { a: 1 } }));
    expect(payload.url).toBe(url);
    expect(parseFlags(payload.flag)).toEqual(new Set(['L', 'P']));
  });

  it('reads a label over 80 characters and a url over 128 as warnings, not errors', () => {
    const longUrl = `https://a.example/${'x'.repeat(120)}`;
    const text = encodeRaw({ url: longUrl, key, label: 'y'.repeat(90) });
    expect(decodeShlink(text).label).toHaveLength(90);
    const codes = inspectShlink(text).problems.map((p) => [p.code, p.severity]);
    expect(codes).toEqual([
      ['SHL_URL_TOO_LONG', 'warning'],
      ['SHL_LABEL_TOO_LONG', 'warning'],
    ]);
  });

  it("refuses the IG's negative example: exp as a string of milliseconds", () => {
    const negative = readSampleJson('shl-vectors/shl-payload-1.json');
    expectCode(() => decodeShlink(encodeRaw(negative)), 'SHL_INVALID_EXP');
    // ...but the misspelt label is only an unknown field.
    const { exp: _exp, ...rest } = negative as Record<string, unknown>;
    expect(decodeShlink(encodeRaw(rest)).flag).toBe('LP');
  });

  it.each<[string, string, ShlErrorCode]>([
    ['text without shlink:/', 'https://example.org/view#abc', 'SHL_INVALID_LINK'],
    ['an empty payload', 'shlink:/', 'SHL_INVALID_LINK'],
    ['characters outside base64url', 'shlink:/ab$cd', 'SHL_INVALID_LINK'],
    [
      'a payload that is not JSON',
      `shlink:/${Buffer.from('not json').toString('base64url')}`,
      'SHL_INVALID_LINK',
    ],
    ['a payload that is a JSON array', encodeRaw([1, 2]), 'SHL_INVALID_PAYLOAD'],
    ['U together with P', encodeRaw({ url, key, flag: 'PU' }), 'SHL_FLAG_CONFLICT'],
    ['a short key', encodeRaw({ url, key: 'abc' }), 'SHL_INVALID_KEY'],
    ['a missing url', encodeRaw({ key }), 'SHL_INVALID_URL'],
    ['flag that is a number', encodeRaw({ url, key, flag: 3 }), 'SHL_INVALID_FLAG'],
    ['v zero', encodeRaw({ url, key, v: 0 }), 'SHL_INVALID_VERSION'],
  ])('refuses %s', (_name, text, code) => {
    expectCode(() => decodeShlink(text), code);
  });

  it('decodes a newer v but refuses to fetch it', () => {
    const payload = decodeShlink(encodeRaw({ url, key, v: 2 }));
    expectCode(() => assertSupportedVersion(payload), 'SHL_UNSUPPORTED_VERSION');
    expect(() => assertSupportedVersion({ v: 1 })).not.toThrow();
    expect(() => assertSupportedVersion({})).not.toThrow();
  });

  it('explains every problem of a bad payload at once', () => {
    const problems = inspectShlink(encodeRaw({ url: 'nope', key: 'short', exp: 'x', flag: 'PU' })).problems;
    expect(problems.map((p) => p.field)).toEqual(['url', 'key', 'exp', 'flag']);
    expect(problems.every((p) => p.rule.length > 0)).toBe(true);
  });
});

describe('flags and random values', () => {
  it('writes flags in alphabetical order and refuses U with P', () => {
    expect(formatFlags(['P', 'L'])).toBe('LP');
    expect(formatFlags(['U', 'L', 'L'])).toBe('LU');
    expectCode(() => formatFlags(['U', 'P']), 'SHL_FLAG_CONFLICT');
    expect(() => formatFlags(['U', 'P'])).toThrow(expect.objectContaining({ field: 'flag' }));
  });

  it('says whether a payload has a flag, ignoring letters it does not know', () => {
    expect(hasFlag({ flag: 'LP' }, 'P')).toBe(true);
    expect(hasFlag({ flag: 'XL' }, 'L')).toBe(true);
    expect(hasFlag({ flag: 'LP' }, 'U')).toBe(false);
    expect(hasFlag({}, 'L')).toBe(false);
  });

  it('names the payload field when refusing to encode', () => {
    expect(() => encodeShlink({ url, key: 'short' })).toThrow(
      expect.objectContaining({ code: 'SHL_INVALID_KEY', field: 'key' }),
    );
    expect(() => encodeShlink({ url, key, label: 'x'.repeat(81) })).toThrow(
      expect.objectContaining({ code: 'SHL_LABEL_TOO_LONG', field: 'label' }),
    );
  });

  it('makes 43-character keys and ids, different every time', () => {
    const keys = new Set(Array.from({ length: 50 }, generateShlKey));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateShlId()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
