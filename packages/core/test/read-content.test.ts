import { describe, expect, it } from 'vitest';
import { isIpsDocument, readContent } from '../src/index.js';
import { ipsSampleNames, readSample } from '../../../test-support/samples.js';

describe('readContent', () => {
  it.each(ipsSampleNames())(
    'reads the IPS sample %s as an International Patient Summary with its sections',
    (name) => {
      const text = readSample(`ips/${name}`);
      const reading = readContent(text);
      if (!reading.ok) throw new Error(reading.problem);
      expect(isIpsDocument(JSON.parse(text))).toBe(true);
      expect(reading.contentType).toBe('application/fhir+json');
      expect(reading.preview.kind).toBe('International Patient Summary');
      expect(reading.preview.sections.length).toBeGreaterThan(0);
      expect(reading.preview.resourceCounts).toEqual([]);
    },
  );

  it('names the patient and counts the entries of each section of the minimal IPS', () => {
    const reading = readContent(readSample('ips/IPS_IG_bundle-minimal.json'));
    if (!reading.ok) throw new Error(reading.problem);
    expect(reading.preview.patient).toBe('Martha DeLarosa');
    expect(reading.preview.sections).toContainEqual({ title: 'Allergies and Intolerances', entries: 1 });
  });

  it('reads a .smart-health-card file and counts its cards', () => {
    const reading = readContent(JSON.stringify({ verifiableCredential: ['a.b.c', 'd.e.f'] }));
    expect(reading).toMatchObject({
      ok: true,
      contentType: 'application/smart-health-card',
      preview: { kind: '2 SMART Health Cards', patient: null },
    });
  });

  it('counts the resources of a Bundle that is not a document', () => {
    const reading = readContent(
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: { resourceType: 'Patient' } }, { resource: { resourceType: 'Observation' } }],
      }),
    );
    expect(reading).toMatchObject({
      ok: true,
      preview: {
        kind: 'FHIR Bundle (collection)',
        resourceCounts: [
          { type: 'Patient', count: 1 },
          { type: 'Observation', count: 1 },
        ],
      },
    });
  });

  it.each([
    ['empty input', '  ', 'Choose a file'],
    ['JSON that does not parse', '{"resourceType": ', 'not valid JSON'],
    ['JSON that is not an object', '[1]', 'one JSON object'],
    ['an object without resourceType', '{"hello": "world"}', 'no valid "resourceType"'],
    [
      'a document without a Composition',
      '{"resourceType":"Bundle","type":"document","entry":[]}',
      'Composition',
    ],
    ['health cards that are not JWS', '{"verifiableCredential":["nope"]}', 'compact JWS'],
  ])('explains %s instead of reading it', (_, input, problem) => {
    const reading = readContent(input);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem).toContain(problem);
  });
});
