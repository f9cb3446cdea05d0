import type { Bundle, FhirResource } from '@shlkit/core';
import { createReferenceResolver } from '@shlkit/core';
import { describe, expect, it } from 'vitest';
import { documentModel } from '../src/ips/document-model.js';
import { groupEntries } from '../src/ips/group-entries.js';
import { MAX_RESULT_DEPTH } from '../src/ips/result-rows.js';
import type { Row } from '../src/ips/row.js';
import { en } from '../src/i18n/en.js';
import { clinicalDocument, expectedLabValues, hostilePanels } from './fixtures/clinical-bundles.js';

/** Every row under (and including) these, with its depth. */
const flatten = (rows: Row[], depth = 0): { row: Row; depth: number }[] =>
  rows.flatMap((row) => [{ row, depth }, ...flatten(row.children ?? [], depth + 1)]);

const resultsOf = (bundle: Bundle) => {
  const model = documentModel(bundle, en);
  const results = model.sections.find((section) => section.key === 'results');
  return { model, results, rows: flatten(results?.tables.flatMap((table) => table.rows) ?? []) };
};

describe('nested result panels', () => {
  it('show every leaf of a report whose results are panels of panels, with value, unit, range and flag', () => {
    const { rows } = resultsOf(clinicalDocument());
    for (const { test, value } of expectedLabValues) {
      const found = rows.find(({ row }) => row.cells.test === test);
      expect(found, test).toBeDefined();
      expect(found?.row.cells.value, test).toBe(value);
    }
    const neutrophils = rows.find(({ row }) => row.cells.test?.startsWith('Neutrophils'));
    // report -> CBC panel -> differential panel -> neutrophils
    expect(neutrophils?.depth).toBe(3);
    expect(neutrophils?.row.cells.range).toBe('1.8 10*3/uL – 7.7 10*3/uL');
    expect(neutrophils?.row.flag).toBe('high');
    // The bare code "H" is left to the badge; a coded interpretation with words would be kept.
    expect(neutrophils?.row.cells.flag).toBe('');
    const ldl = rows.find(({ row }) => row.cells.test?.startsWith('Cholesterol in LDL'));
    // No interpretation code: the flag comes from the range.
    expect(ldl?.row.flag).toBe('high');
  });

  it('group each leaf under its own panel, in the order the panel lists them', () => {
    const { results } = resultsOf(clinicalDocument());
    const report = results?.tables.find((table) => table.resourceType === 'DiagnosticReport')?.rows[0];
    expect(report?.cells.test).toBe('Comprehensive metabolic and blood count panel');
    expect(report?.cells.details).toBe('Mild leukocytosis.');
    expect(report?.children?.map((row) => row.cells.test)).toEqual([
      'CBC panel - Blood by Automated count',
      'Lipid panel with direct LDL - Serum or Plasma',
      'Color of Urine',
      'Bacteria identified in Blood by Culture',
      'Choriogonadotropin (pregnancy test) [Presence] in Urine',
    ]);
    const cbc = report?.children?.[0];
    expect(cbc?.children?.map((row) => row.cells.test)).toEqual([
      'Hemoglobin [Mass/volume] in Blood',
      'Leukocytes [#/volume] in Blood',
      'CBC W Auto Differential panel - Blood',
    ]);
  });

  it('keep the performer’s comment with the value it qualifies', () => {
    const { rows } = resultsOf(clinicalDocument());
    const hemoglobin = rows.find(({ row }) => row.cells.test?.startsWith('Hemoglobin'));
    expect(hemoglobin?.row.secondary?.value).toBe('Sample slightly haemolysed');
  });

  it('resolve a result contained in the report, and say a boolean value in words', () => {
    const { rows } = resultsOf(clinicalDocument());
    const pregnancy = rows.find(({ row }) => row.cells.test?.startsWith('Choriogonadotropin'));
    expect(pregnancy?.row.cells.value).toBe('no');
  });

  it('show a standalone panel with its members', () => {
    const { results } = resultsOf(clinicalDocument());
    const bmp = results?.tables
      .find((table) => table.resourceType === 'Observation')
      ?.rows.find((row) => row.cells.test === 'Basic metabolic panel - Blood');
    expect(bmp?.children?.map((row) => [row.cells.value, row.flag])).toEqual([
      ['139 mmol/L', undefined],
      ['5.9 mmol/L', 'high'],
    ]);
  });

  it('keep the members out of "other information": they are shown under their panel', () => {
    const { model } = resultsOf(clinicalDocument());
    expect(model.unlisted.filter((resource) => resource.resourceType === 'Observation')).toEqual([]);
  });

  it('list an entry shown inside another entry once, under its panel, not again on its own', () => {
    const bundle = clinicalDocument();
    const composition = bundle.entry?.[0]?.resource as unknown as {
      section: { code: { coding: { code: string }[] }; entry: { reference: string }[] }[];
    };
    const results = composition.section.find((s) => s.code.coding[0]?.code === '30954-2');
    results?.entry.push({ reference: 'urn:uuid:hgb' }, { reference: 'urn:uuid:neut' });
    const { results: section, rows } = resultsOf(bundle);
    expect(rows.filter(({ row }) => row.cells.test?.startsWith('Hemoglobin'))).toHaveLength(1);
    expect(rows.filter(({ row }) => row.cells.test?.startsWith('Neutrophils'))).toHaveLength(1);
    const topLevel = section?.tables.flatMap((table) => table.rows.map((row) => row.cells.test));
    expect(topLevel).toEqual([
      'Comprehensive metabolic and blood count panel',
      'Basic metabolic panel - Blood',
    ]);
  });
});

describe('hostile panels', () => {
  const bundle = hostilePanels(40);
  const resolve = createReferenceResolver(bundle);
  const entries = (bundle.entry ?? []).map((entry) => entry.resource as FhirResource);
  const grouped = groupEntries(entries, { resolve, t: en });
  const rows = flatten(grouped.tables.flatMap((table) => table.rows));

  it('stop at a cycle: panels that contain each other, or themselves, are each shown, once per tree', () => {
    const a = grouped.tables[0]?.rows.find((row) => row.cells.test === 'Cycle A panel');
    expect(a?.children?.map((row) => row.cells.test)).toEqual(['Cycle B panel']);
    expect(a?.children?.[0]?.children?.map((row) => row.cells.test)).toEqual(['Cycle leaf value']);
    const self = grouped.tables[0]?.rows.find((row) => row.cells.test === 'Self-member panel');
    expect(self?.children).toBeUndefined();
  });

  it('stop at an absurd depth, and still show every entry somewhere', () => {
    expect(Math.max(...rows.map(({ depth }) => depth))).toBeLessThanOrEqual(MAX_RESULT_DEPTH);
    const shown = new Set(rows.map(({ row }) => row.resource));
    for (const entry of entries) expect(shown.has(entry), entry.id).toBe(true);
    const leaf = rows.find(({ row }) => row.cells.test === 'Level 39 value');
    expect(leaf?.row.cells.value).toBe('39 g/dL');
  });
});
