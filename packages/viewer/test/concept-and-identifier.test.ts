import { describe, expect, it } from 'vitest';
import { formatConcept } from '../src/fhir/format.js';
import { formatIdentifier } from '../src/fhir/identifier.js';
import { documentModel } from '../src/ips/document-model.js';
import { en } from '../src/i18n/en.js';
import { clinicalDocument } from './fixtures/clinical-bundles.js';

describe('the name of a coded concept', () => {
  it('is the sender’s text when there is one', () => {
    expect(formatConcept({ text: 'Asthma', coding: [{ display: 'Asthma (disorder)' }] })).toBe('Asthma');
  });

  it('is the coding the user selected, not every coding joined', () => {
    const concept = {
      coding: [{ display: 'Metformin 1 g' }, { display: 'Metformin 2 g', userSelected: true }],
    };
    expect(formatConcept(concept)).toBe('Metformin 2 g');
  });

  it('is the first coding with a display otherwise', () => {
    const concept = {
      coding: [
        { system: 'http://snomed.info/sct', code: '764146007' },
        { system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin' },
        { system: 'http://www.whocc.no/atc', code: 'N03AA02', display: 'phenobarbital' },
      ],
    };
    expect(formatConcept(concept)).toBe('Penicillin');
  });

  it('is a code with its system named when no coding has a display', () => {
    const concept = {
      coding: [
        { system: 'http://www.whocc.no/atc', code: 'J07BA01' },
        { system: 'http://snomed.info/sct', code: '836403007' },
      ],
    };
    expect(formatConcept(concept)).toBe('ATC J07BA01');
    expect(formatConcept({ coding: [{ system: 'https://codes.example.org/local', code: 'X1' }] })).toBe(
      'X1 (https://codes.example.org/local)',
    );
    // FHIR's own code systems have short codes that read as words (and are named in the reader's language).
    expect(
      formatConcept({
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      }),
    ).toBe('active');
  });

  it('names entries of a real-world-shaped document by one coding each', () => {
    const model = documentModel(clinicalDocument(), en);
    const cell = (key: string, column: 'substance' | 'medication' | 'vaccine') =>
      model.sections.find((s) => s.key === key)?.tables[0]?.rows.map((row) => row.cells[column]);
    expect(cell('allergies', 'substance')).toEqual(['Penicillin']);
    expect(cell('medications', 'medication')?.[0]).toBe('Metformin 2 g');
    expect(cell('immunizations', 'vaccine')).toEqual(['ATC J07BA01']);
  });
});

describe('identifiers', () => {
  it('name the common systems instead of showing their URI', () => {
    expect(formatIdentifier({ system: 'http://hl7.org/fhir/sid/us-ssn', value: '123-45-6789' })).toEqual({
      label: 'SSN (US)',
      value: '123-45-6789',
      system: '',
    });
    expect(formatIdentifier({ system: 'urn:oid:2.16.840.1.113883.4.1', value: '1' }).label).toBe('SSN (US)');
    expect(formatIdentifier({ system: 'http://hl7.org/fhir/sid/us-npi', value: '1' }).label).toBe('NPI (US)');
    expect(formatIdentifier({ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '1' }).label).toBe(
      'NHS number (UK)',
    );
    expect(formatIdentifier({ system: 'urn:oid:2.16.756.5.32', value: '1' }).label).toBe('AHV/AVS (CH)');
  });

  it('keep an unknown system as a secondary note, with the type as the label when there is one', () => {
    expect(
      formatIdentifier({
        system: 'https://hospital.example.org/mrn',
        type: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }],
        },
        value: 'MRN-0042',
      }),
    ).toEqual({ label: 'MR', value: 'MRN-0042', system: 'https://hospital.example.org/mrn' });
    expect(formatIdentifier({ value: '42' })).toEqual({ label: '', value: '42', system: '' });
  });
});
