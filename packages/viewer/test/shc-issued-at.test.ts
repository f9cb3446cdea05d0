import { describe, expect, it } from 'vitest';
import { issuedAt } from '../src/shc/issued-at.js';

describe("a health card's issue time", () => {
  it('reads nbf as epoch seconds', () => {
    expect(issuedAt(1_600_000_000)).toBe('2020-09-13T12:26:40.000Z');
  });

  it('is left out, not thrown, when nbf is missing, not a number, or beyond what a date holds', () => {
    expect(issuedAt(undefined)).toBeUndefined();
    expect(issuedAt('1600000000')).toBeUndefined();
    expect(issuedAt(1e13)).toBeUndefined();
    expect(issuedAt(Number.NaN)).toBeUndefined();
  });
});
