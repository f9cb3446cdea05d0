import { describe, expect, it } from 'vitest';
import {
  type Bundle,
  createReferenceResolver,
  type FhirResource,
  IPS_SECTIONS,
  ipsSectionKey,
  isIpsDocument,
} from '../src/index.js';
import { ipsSampleNames, readSampleJson } from '../../../test-support/samples.js';

/** Every `{reference: "..."}` inside a resource, with the resource that holds it. */
const referencesIn = (value: unknown, found: string[] = []): string[] => {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [field, inner] of Object.entries(value)) {
      if (field === 'reference' && typeof inner === 'string') found.push(inner);
      else if (field !== 'contained') referencesIn(inner, found);
    }
  }
  return found;
};

describe('recognising an IPS document', () => {
  it.each(ipsSampleNames())('recognises %s by Bundle type and Composition code', (name) => {
    expect(isIpsDocument(readSampleJson(`ips/${name}`))).toBe(true);
  });

  it('does not need meta.profile, and refuses other bundles and resources', () => {
    const bundle = readSampleJson<Bundle>('ips/IPS_IG_bundle-minimal.json');
    expect(isIpsDocument({ ...bundle, meta: undefined })).toBe(true);
    expect(isIpsDocument({ ...bundle, type: 'collection' })).toBe(false);
    expect(isIpsDocument({ ...bundle, entry: bundle.entry?.slice(1) })).toBe(false);
    expect(isIpsDocument({ resourceType: 'Patient' })).toBe(false);
    expect(isIpsDocument(null)).toBe(false);
    const otherDocument = structuredClone(bundle);
    const composition = otherDocument.entry?.[0]?.resource as FhirResource;
    composition.type = { coding: [{ system: 'http://loinc.org', code: '11488-4' }] };
    expect(isIpsDocument(otherDocument)).toBe(false);
  });

  it('names every section of the full sample by its LOINC code', () => {
    const bundle = readSampleJson<Bundle>('ips/full_ips.json');
    const sections = (bundle.entry?.[0]?.resource?.section ?? []) as unknown[];
    const keys = sections.map(ipsSectionKey);
    expect(new Set(keys)).toEqual(new Set(Object.values(IPS_SECTIONS)));
  });
});

describe('resolving references inside a bundle', () => {
  it.each(ipsSampleNames())('resolves every reference of %s', (name) => {
    const bundle = readSampleJson<Bundle>(`ips/${name}`);
    const resolve = createReferenceResolver(bundle);
    const unresolved: string[] = [];
    let count = 0;
    for (const entry of bundle.entry ?? []) {
      if (!entry.resource) continue;
      for (const reference of referencesIn(entry.resource)) {
        count += 1;
        const context = {
          container: entry.resource,
          ...(entry.fullUrl ? { fromFullUrl: entry.fullUrl } : {}),
        };
        if (!resolve(reference, context)) unresolved.push(reference);
      }
    }
    expect(count).toBeGreaterThan(0);
    expect(unresolved).toEqual([]);
  });

  it('resolves by fullUrl, by type and id, by base URL and into contained', () => {
    const patient = { resourceType: 'Patient', id: 'p1' };
    const observation = {
      resourceType: 'Observation',
      id: 'o1',
      contained: [{ resourceType: 'Device', id: 'd1' }],
    };
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'document',
      entry: [
        { fullUrl: 'urn:uuid:1111', resource: patient },
        { fullUrl: 'https://fhir.example/r4/Observation/o1', resource: observation },
      ],
    };
    const resolve = createReferenceResolver(bundle);
    expect(resolve('urn:uuid:1111')).toBe(patient);
    expect(resolve('Patient/p1')).toBe(patient);
    expect(resolve('https://fhir.example/r4/Observation/o1/_history/3')).toBe(observation);
    expect(resolve('Observation/o1', { fromFullUrl: 'https://fhir.example/r4/Patient/p1' })).toBe(
      observation,
    );
    expect(resolve('#d1', { container: observation })).toEqual({ resourceType: 'Device', id: 'd1' });
    expect(resolve('#d1')).toBeUndefined();
    expect(resolve('Patient/unknown')).toBeUndefined();
    expect(resolve(undefined)).toBeUndefined();
  });
});
