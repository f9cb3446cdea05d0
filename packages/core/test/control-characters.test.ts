import { describe, expect, it } from 'vitest';
import { hasControlCharacters, replaceControlCharacters } from '../src/index.js';

describe('control characters and lone surrogates', () => {
  it.each([
    ['U+0000', 'a\u0000b'],
    ['a line feed', 'a\nb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', 'a\udfffb'],
  ])('finds %s', (_, text) => {
    expect(hasControlCharacters(text)).toBe(true);
    expect(replaceControlCharacters(text)).toBe('a\ufffdb');
  });

  it.each([
    ['letters and spaces', 'Dr. Lee, Clinic 4'],
    ['an emoji (a surrogate pair)', 'Anna 👩‍⚕️'],
    ['right-to-left text', 'مريم'],
    ['a zero width joiner', 'क्\u200dष'],
  ])('lets %s pass as it is', (_, text) => {
    expect(hasControlCharacters(text)).toBe(false);
    expect(replaceControlCharacters(text)).toBe(text);
  });

  it('replaces every one, not the first only', () => {
    expect(replaceControlCharacters('\u0000x\u0001y\ud800')).toBe('\ufffdx\ufffdy\ufffd');
  });
});
