import { describe, expect, it } from 'vitest';
import {
  assertSupportedVersion,
  checkShlPayload,
  decodeShlink,
  inspectShlink,
  MAX_PLAUSIBLE_EXP,
  readExpiry,
} from '../src/index.js';

const KEY = 'rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q';
const valid = { url: 'https://shl.example.org/m/abc', key: KEY };
const codes = (value: unknown) =>
  checkShlPayload(value).map((problem) => `${problem.severity}:${problem.code}`);

/** The exact edges of the payload rules (issue 12: off-by-one mutants of these went unnoticed). */
describe('payload rules at their edges', () => {
  it('exp: 0 is a date, -1 and non-numbers are not-a-number; MAX_PLAUSIBLE_EXP is the first millisecond value', () => {
    expect(readExpiry(0)).toMatchObject({ kind: 'date', epochSeconds: 0 });
    for (const exp of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1700000000', null]) {
      expect(readExpiry(exp)).toMatchObject({ kind: 'invalid', reason: 'not-a-number' });
    }
    expect(readExpiry(MAX_PLAUSIBLE_EXP - 1)).toMatchObject({ kind: 'date' });
    expect(readExpiry(MAX_PLAUSIBLE_EXP)).toMatchObject({ kind: 'invalid', reason: 'milliseconds' });
    expect(readExpiry(8.64e15)).toMatchObject({ kind: 'invalid', reason: 'milliseconds' });
    expect(readExpiry(8.64e15 + 1)).toMatchObject({ kind: 'invalid', reason: 'out-of-range' });
  });

  it('v: 1 and absent are supported; 2 is a warning and refused before fetching; 0, 1.5 and "1" are errors', () => {
    expect(codes({ ...valid, v: 1 })).toEqual([]);
    expect(codes(valid)).toEqual([]);
    expect(codes({ ...valid, v: 2 })).toEqual(['warning:SHL_UNSUPPORTED_VERSION']);
    for (const v of [0, 1.5, '1', -1]) expect(codes({ ...valid, v })).toEqual(['error:SHL_INVALID_VERSION']);
    expect(() => assertSupportedVersion({ v: 2 })).toThrow(
      expect.objectContaining({ code: 'SHL_UNSUPPORTED_VERSION', field: 'v' }),
    );
  });

  it('a payload that is not a plain object, or has no url, is an error', () => {
    for (const value of [null, [], 'text', 3]) expect(codes(value)).toEqual(['error:SHL_INVALID_PAYLOAD']);
    for (const url of [undefined, '', 7]) {
      const problems = checkShlPayload({ ...valid, url });
      expect(problems.map((problem) => problem.field)).toContain('url');
      expect(problems.every((problem) => problem.severity === 'error')).toBe(true);
    }
    const ftp = checkShlPayload({ ...valid, url: 'ftp://shl.example.org/m/abc' });
    expect(ftp.map((problem) => problem.field)).toContain('url');
  });
});

describe('reading a link from text', () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  it('an empty or non-base64url payload is SHL_INVALID_LINK; trailing = padding is accepted', () => {
    for (const text of ['shlink:/', 'shlink:/abc*def', 'shlink:/ab=cd']) {
      expect(inspectShlink(text).problems.map((problem) => problem.code)).toEqual(['SHL_INVALID_LINK']);
      expect(() => decodeShlink(text)).toThrow(
        expect.objectContaining({ code: 'SHL_INVALID_LINK', field: '' }),
      );
    }
    const padded = `shlink:/${encode(valid)}==`;
    expect(inspectShlink(padded).problems).toEqual([]);
    expect(decodeShlink(padded)).toEqual(valid);
  });

  it('a payload that is JSON but not an object is inspected without a payload, and decoding names the field', () => {
    for (const json of [[valid], 'text', 3, null]) {
      const inspection = inspectShlink(`shlink:/${encode(json)}`);
      expect(inspection.payload).toBeUndefined();
      expect(inspection.problems.map((problem) => problem.code)).toEqual(['SHL_INVALID_PAYLOAD']);
    }
    expect(() => decodeShlink(`shlink:/${encode({ ...valid, key: 'short' })}`)).toThrow(
      expect.objectContaining({ code: 'SHL_INVALID_KEY', field: 'key' }),
    );
  });
});

/** Each problem names its severity, code and field (issue 12: mutants of each went unnoticed). */
describe('every payload problem names its severity, code and field', () => {
  const judged = (value: unknown) =>
    checkShlPayload(value).map((problem) => `${problem.severity}:${problem.code}:${problem.field}`);

  it('a payload that is not an object is an error about no field', () => {
    expect(judged([valid])).toEqual(['error:SHL_INVALID_PAYLOAD:']);
  });

  it('url: missing, not a string (even an array holding a URL), not absolute, or not http(s) is an error', () => {
    for (const url of [
      undefined,
      '',
      7,
      ['https://shl.example.org/m/abc'],
      'nope',
      'ftp://shl.example.org/m',
    ]) {
      expect(judged({ ...valid, url })).toEqual(['error:SHL_INVALID_URL:url']);
    }
    expect(judged({ ...valid, url: 'http://localhost:3000/m/abc' })).toEqual([]);
  });

  it('url: 128 characters is fine, 129 is a warning', () => {
    const at = (length: number) => `https://shl.example.org/m/${'a'.repeat(length - 26)}`;
    expect(at(128)).toHaveLength(128);
    expect(judged({ ...valid, url: at(128) })).toEqual([]);
    expect(judged({ ...valid, url: at(129) })).toEqual(['warning:SHL_URL_TOO_LONG:url']);
  });

  it('key: missing or not a string is an error', () => {
    for (const key of [undefined, 7])
      expect(judged({ ...valid, key })).toEqual(['error:SHL_INVALID_KEY:key']);
  });

  it('exp: milliseconds or out of range are warnings on exp', () => {
    for (const exp of [MAX_PLAUSIBLE_EXP, 1e20]) {
      expect(judged({ ...valid, exp })).toEqual(['warning:SHL_INVALID_EXP:exp']);
    }
  });

  it('flag: not a string is an error; unknown letters, repeats and disorder are warnings, one each', () => {
    expect(judged({ ...valid, flag: 7 })).toEqual(['error:SHL_INVALID_FLAG:flag']);
    // X is ignored, and the known letters alone (L) are in order: one warning, not two.
    expect(judged({ ...valid, flag: 'XL' })).toEqual(['warning:SHL_INVALID_FLAG:flag']);
    expect(judged({ ...valid, flag: 'PL' })).toEqual(['warning:SHL_INVALID_FLAG:flag']);
    expect(judged({ ...valid, flag: 'LL' })).toEqual(['warning:SHL_INVALID_FLAG:flag']);
    expect(judged({ ...valid, flag: 'LP' })).toEqual([]);
  });

  it('label: not a string, or over 80 characters, is a warning on label', () => {
    expect(judged({ ...valid, label: 7 })).toEqual(['warning:SHL_INVALID_LABEL:label']);
    expect(judged({ ...valid, label: 'x'.repeat(81) })).toEqual(['warning:SHL_LABEL_TOO_LONG:label']);
    expect(judged({ ...valid, label: 'x'.repeat(80) })).toEqual([]);
  });

  it('v: not a positive integer is an error on v, a newer one a warning on v', () => {
    expect(judged({ ...valid, v: '1' })).toEqual(['error:SHL_INVALID_VERSION:v']);
    expect(judged({ ...valid, v: 2 })).toEqual(['warning:SHL_UNSUPPORTED_VERSION:v']);
  });

  it('a text without a link is one problem that names the rule it breaks', () => {
    const [problem, ...more] = inspectShlink('no link here').problems;
    expect(more).toEqual([]);
    expect(problem).toMatchObject({ code: 'SHL_INVALID_LINK', severity: 'error', field: '' });
    expect(problem?.rule).not.toBe('');
  });
});
