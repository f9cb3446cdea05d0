import type { Bundle } from '@shlkit/core';
import { describe, expect, it } from 'vitest';
import { classifyFile } from '../src/documents/classify-file.js';
import { bundleModel } from '../src/ips/bundle-model.js';
import { en } from '../src/i18n/en.js';
import { summarySearchset } from './fixtures/clinical-bundles.js';

describe('a bundle with no IPS structure', () => {
  const bundle = summarySearchset();

  it('is shown as a bundle, not as a raw resource', () => {
    expect(classifyFile({ contentType: 'application/fhir+json', json: bundle }).kind).toBe('bundle');
    const collection: Bundle = { ...bundle, type: 'collection' };
    expect(classifyFile({ contentType: 'application/fhir+json', json: collection }).kind).toBe('bundle');
  });

  it('has its patient for the banner and its timestamp as its date', () => {
    const model = bundleModel(bundle, en);
    expect(model.patients.map((p) => p.id)).toEqual(['patient-1']);
    expect(model.type).toBe('searchset');
    expect(model.date).toBe('2024-04-10 09:00');
  });

  it('files its entries under the IPS sections they belong to, in the IPS order, with nested results', () => {
    const model = bundleModel(bundle, en);
    expect(model.sections.map((s) => s.key)).toEqual([
      'allergies',
      'medications',
      'problems',
      'immunizations',
      'results',
      'vitalSigns',
    ]);
    const results = model.sections.find((s) => s.key === 'results');
    // Only the report is a top row: its results (and their members) are grouped under it.
    expect(results?.tables.map((table) => [table.resourceType, table.rows.length])).toEqual([
      ['DiagnosticReport', 1],
    ]);
    const vitals = model.sections.find((s) => s.key === 'vitalSigns');
    expect(vitals?.tables[0]?.rows[0]?.children?.map((row) => row.cells.value)).toEqual([
      '128 mmHg',
      '82 mmHg',
    ]);
  });

  it('keeps what has no table for the end', () => {
    const model = bundleModel(bundle, en);
    expect(model.unlisted.map((resource) => resource.resourceType)).toEqual(['Organization']);
  });
});
