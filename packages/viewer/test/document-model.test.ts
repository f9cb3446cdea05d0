import { type Bundle, createReferenceResolver, type FhirResource } from '@shlkit/core';
import { describe, expect, it } from 'vitest';
import { documentModel, type SectionModel } from '../src/ips/document-model.js';
import type { Row } from '../src/ips/row.js';
import { ipsSampleNames, readSampleJson } from '../../../test-support/samples.js';

const allSections = (sections: SectionModel[]): SectionModel[] =>
  sections.flatMap((section) => [section, ...allSections(section.subsections)]);

/** Every resource a row shows, at any depth: a report's results and a panel's members are under it. */
const rowResources = (rows: Row[]): FhirResource[] =>
  rows.flatMap((row) => [...(row.component ? [] : [row.resource]), ...rowResources(row.children ?? [])]);

const shown = (section: SectionModel): FhirResource[] => [
  ...rowResources(section.tables.flatMap((table) => table.rows)),
  ...section.others,
];

describe.each(ipsSampleNames())('the reading model of %s', (name) => {
  const bundle = readSampleJson<Bundle>(`ips/${name}`);
  const model = documentModel(bundle);
  const composition = bundle.entry?.[0]?.resource as FhirResource & { section?: Record<string, unknown>[] };

  it('finds the patient and names them', () => {
    expect(model.patient?.resourceType).toBe('Patient');
  });

  it('keeps every Composition section, in order, with its LOINC key', () => {
    expect(model.sections.map((s) => s.title)).toEqual((composition.section ?? []).map((s) => s.title));
    for (const section of model.sections) expect(section.key).toBeDefined();
  });

  it('shows every entry of every section exactly once, and none is left unresolved', () => {
    const resolve = createReferenceResolver(bundle);
    (composition.section ?? []).forEach((source, index) => {
      const section = model.sections[index] as SectionModel;
      const expected = ((source.entry as { reference: string }[] | undefined) ?? []).map((entry) =>
        resolve(entry.reference, { fromFullUrl: bundle.entry?.[0]?.fullUrl ?? '' }),
      );
      expect(section.unresolved).toEqual([]);
      const entries = new Set(expected);
      // Each entry once: as a row of its own, or under the report or panel that holds it.
      for (const resource of expected) {
        expect(shown(section).filter((r) => r === resource)).toHaveLength(1);
      }
      // Rows of their own are entries of the section (what is under them may be any resource).
      for (const table of section.tables)
        for (const row of table.rows) expect(entries.has(row.resource)).toBe(true);
    });
  });

  it('drops nothing: every bundle entry is in a section, the banner, or the unlisted part', () => {
    const everything = new Set<FhirResource>([model.composition, ...model.unlisted]);
    if (model.patient) everything.add(model.patient);
    for (const section of allSections(model.sections)) for (const r of shown(section)) everything.add(r);
    const entries = (bundle.entry ?? []).map((e) => e.resource);
    for (const resource of entries) expect(everything.has(resource as FhirResource)).toBe(true);
  });

  it('gives every table row a text in its first column', () => {
    for (const section of allSections(model.sections)) {
      for (const table of section.tables) {
        const first = table.columns[0];
        expect(first).toBeDefined();
        for (const row of table.rows) expect(row.cells[first as keyof typeof row.cells] ?? '').not.toBe('');
      }
    }
  });
});

describe('IPS sections', () => {
  it('say why they are empty when the document gives an emptyReason', () => {
    const model = documentModel(readSampleJson<Bundle>('ips/IPS_IG_bundle-no-info-required-sections.json'));
    const empty = model.sections.filter((s) => s.emptyReason);
    expect(empty.map((s) => s.key).sort()).toEqual(['allergies', 'medications', 'problems']);
    for (const section of empty) expect(section.emptyReason).toBe('No information available');
  });

  it('keep the list-empty-reason code, so a bare code can be named in the reader’s language', () => {
    const model = documentModel(readSampleJson<Bundle>('ips/CA_VeroSource_colorful_balloon.json'));
    const allergies = model.sections.find((s) => s.key === 'allergies');
    expect(allergies?.emptyReason).toBe('unavailable');
    expect(allergies?.emptyReasonCode).toBe('unavailable');
  });

  it('show results with value, unit and reference range, and flag values outside the range', () => {
    const model = documentModel(readSampleJson<Bundle>('ips/full_ips.json'));
    const results = model.sections.find((s) => s.key === 'results');
    const rows = results?.tables.find((t) => t.resourceType === 'Observation')?.rows ?? [];
    const ldl = rows.find((row) => row.cells.test?.startsWith('Cholesterol in LDL'));
    expect(ldl?.cells.value).toBe('3.6 mmol/L');
    expect(ldl?.cells.range).not.toBe('');
    const vitals = model.sections.find((s) => s.key === 'vitalSigns');
    const pressure = vitals?.tables[0]?.rows.find((row) => row.cells.test?.startsWith('Blood pressure'));
    expect(pressure?.children?.map((c) => c.cells.test)).toEqual([
      'Systolic blood pressure',
      'Diastolic blood pressure',
    ]);
    expect(pressure?.children?.[0]?.cells.value).toBe('140 mmHg');
  });

  it('name the medication of a MedicationStatement that references a Medication resource', () => {
    const model = documentModel(readSampleJson<Bundle>('ips/HL7_IPS_IG-bundle-01.json'));
    const medications = model.sections.find((s) => s.key === 'medications');
    const names = medications?.tables[0]?.rows.map((row) => row.cells.medication) ?? [];
    expect(names).toHaveLength(2);
    for (const medicationName of names) expect(medicationName).toMatch(/\w/);
  });

  it('resolve #contained references in the Swiss sample', () => {
    const model = documentModel(readSampleJson<Bundle>('ips/CH_HL7CH_Examples_01.json'));
    const medications = model.sections.find((s) => s.key === 'medications');
    for (const row of medications?.tables[0]?.rows ?? []) expect(row.cells.medication).toMatch(/\w/);
  });

  it('list all 374 results of the large sample, each observation under its report', () => {
    const model = documentModel(readSampleJson<Bundle>('ips/CA_VeroSource_colorful_balloon.json'));
    const results = model.sections.find((s) => s.key === 'results');
    expect(new Set(shown(results as SectionModel)).size).toBe(374);
    expect(shown(results as SectionModel)).toHaveLength(374);
  });
});
