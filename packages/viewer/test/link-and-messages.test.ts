import { encodeBase64url, utf8 } from '@shlkit/core';
import { describe, expect, it } from 'vitest';
import { classifyFile } from '../src/documents/classify-file.js';
import { en } from '../src/i18n/en.js';
import { es } from '../src/i18n/es.js';
import { selectMessages } from '../src/i18n/select-messages.js';
import { readLink, readLinkFromHash } from '../src/link/read-link.js';
import { readSample, readSampleJson } from '../../../test-support/samples.js';

const example = readSampleJson<{ shlink: string; payload: Record<string, unknown> }>(
  'shl-vectors/spec-payload-example.json',
);
const encode = (payload: unknown) => `shlink:/${encodeBase64url(utf8(JSON.stringify(payload)))}`;

describe('reading a link', () => {
  it('takes it from the fragment of a viewer URL', () => {
    const reading = readLinkFromHash(`#${example.shlink.slice(example.shlink.indexOf('shlink:/'))}`);
    expect(reading.kind).toBe('link');
    if (reading.kind === 'link') expect(reading.payload.url).toBe(example.payload.url);
  });

  it('finds nothing in an empty fragment', () => {
    expect(readLinkFromHash('').kind).toBe('none');
  });

  it('refuses a payload version it does not support, with its code', () => {
    const reading = readLink(encode({ ...example.payload, v: 2 }));
    expect(reading).toMatchObject({ kind: 'invalid', code: 'SHL_UNSUPPORTED_VERSION' });
  });

  it('refuses a broken payload with a coded error', () => {
    expect(readLink('shlink:/not-json').kind).toBe('invalid');
  });
});

describe('choosing how to show a file', () => {
  it('recognises an IPS, another FHIR resource, a health card, and a file that is none of them', () => {
    expect(
      classifyFile({
        contentType: 'application/fhir+json',
        json: readSampleJson('ips/IPS_IG_bundle-minimal.json'),
      }).kind,
    ).toBe('ips');
    expect(
      classifyFile({ contentType: 'application/fhir+json', json: { resourceType: 'Patient' } }).kind,
    ).toBe('fhir');
    const card = JSON.parse(readSample('shc/example-00-e-file.smart-health-card'));
    expect(classifyFile({ contentType: 'application/smart-health-card', json: card }).kind).toBe('shc');
    expect(classifyFile({ contentType: 'application/fhir+json', json: { hello: 'world' } }).kind).toBe(
      'unknown',
    );
  });
});

describe('the UI language', () => {
  it('follows the browser, falling back to English', () => {
    expect(selectMessages(['es-MX', 'en'])).toBe(es);
    expect(selectMessages(['fr-FR', 'en-GB'])).toBe(en);
    expect(selectMessages(['de'])).toBe(en);
  });

  it('has every string in both languages', () => {
    const keys = (value: unknown, prefix = ''): string[] =>
      typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([key, child]) => keys(child, `${prefix}${key}.`))
        : [prefix];
    expect(keys(es)).toEqual(keys(en));
  });
});
