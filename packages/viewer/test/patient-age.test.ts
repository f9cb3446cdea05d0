import { describe, expect, it } from 'vitest';
import { ageOn } from '../src/fhir/age.js';
import { en } from '../src/i18n/en.js';
import { es } from '../src/i18n/es.js';

const on = (date: string) => new Date(`${date}T12:00:00`);

describe('a patient’s age', () => {
  it('is counted in whole years to today, the birthday included', () => {
    expect(ageOn('1980-06-15', on('2024-06-14'))).toEqual({ unit: 'years', value: 43 });
    expect(ageOn('1980-06-15', on('2024-06-15'))).toEqual({ unit: 'years', value: 44 });
  });

  it('is in months under two years and in days under one month', () => {
    expect(ageOn('2023-01-20', on('2024-06-14'))).toEqual({ unit: 'months', value: 16 });
    expect(ageOn('2024-06-01', on('2024-06-14'))).toEqual({ unit: 'days', value: 13 });
  });

  it('keeps the precision of a partial birth date: a year alone gives two possible ages', () => {
    expect(ageOn('1956', on('2024-06-14'))).toEqual({ unit: 'years', value: 67, max: 68 });
    expect(ageOn('1956-09', on('2024-06-14'))).toEqual({ unit: 'years', value: 67 });
  });

  it('is unknown for a malformed or future date', () => {
    expect(ageOn('soon', on('2024-06-14'))).toBeUndefined();
    expect(ageOn('2030-01-01', on('2024-06-14'))).toBeUndefined();
    expect(ageOn(undefined, on('2024-06-14'))).toBeUndefined();
    expect(ageOn('1950-01-01', new Date('not a date'))).toBeUndefined();
  });

  it('is said in the reader’s language', () => {
    expect(en.ips.ageValue({ unit: 'years', value: 44 })).toBe('44 years');
    expect(es.ips.ageValue({ unit: 'years', value: 67, max: 68 })).toBe('67–68 años');
    expect(es.ips.ageValue({ unit: 'months', value: 1 })).toBe('1 mes');
  });
});
