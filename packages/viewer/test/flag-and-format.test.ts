import { describe, expect, it } from 'vitest';
import { formatConcept, formatDate, formatNames, formatQuantity, formatRange } from '../src/fhir/format.js';
import { resultFlag } from '../src/ips/interpretation.js';

describe('result flags', () => {
  it('come from the interpretation code when the sender gave one', () => {
    const coding = (code: string) => ({ coding: [{ code }] });
    expect(resultFlag({ interpretation: [coding('H')] })).toBe('high');
    expect(resultFlag({ interpretation: [coding('LL')] })).toBe('critical');
    expect(resultFlag({ interpretation: [coding('N')] })).toBe('normal');
  });

  it('compare a numeric value with the reference range in the same unit otherwise', () => {
    const range = [{ low: { value: 3, unit: 'mmol/L' }, high: { value: 5, unit: 'mmol/L' } }];
    expect(resultFlag({ valueQuantity: { value: 6, unit: 'mmol/L' }, referenceRange: range })).toBe('high');
    expect(resultFlag({ valueQuantity: { value: 2, unit: 'mmol/L' }, referenceRange: range })).toBe('low');
    expect(
      resultFlag({ valueQuantity: { value: 4, unit: 'mmol/L' }, referenceRange: range }),
    ).toBeUndefined();
    expect(resultFlag({ valueQuantity: { value: 9, unit: 'mg/dL' }, referenceRange: range })).toBeUndefined();
  });
});

describe('formatting FHIR values', () => {
  it('prefers a concept text, then one coding', () => {
    expect(formatConcept({ text: 'Asthma', coding: [{ display: 'x' }] })).toBe('Asthma');
    expect(formatConcept({ coding: [{ code: 'B' }, { display: 'A' }, { display: 'C' }] })).toBe('A');
  });

  it('keeps a date at the precision the source gave', () => {
    expect(formatDate('1975')).toBe('1975');
    expect(formatDate('2020-03-09T15:29:46Z')).toBe('2020-03-09 15:29');
  });

  it('shows quantities, ranges and names', () => {
    expect(formatQuantity({ value: 5.7, unit: 'mmol/L' })).toBe('5.7 mmol/L');
    expect(formatQuantity({ value: 1, comparator: '<', code: 'mg' })).toBe('<1 mg');
    expect(formatRange({ low: { value: 1, unit: 'g' }, high: { value: 2, unit: 'g' } })).toBe('1 g – 2 g');
    expect(
      formatNames([
        { use: 'old', text: 'Old' },
        { use: 'official', given: ['Ann', 'B'], family: 'Lee' },
      ]),
    ).toBe('Ann B Lee');
  });

  it('gives empty text, never a throw, for malformed input', () => {
    expect(formatConcept(42)).toBe('42');
    expect(formatQuantity('x')).toBe('');
    expect(formatNames(null)).toBe('');
  });
});
