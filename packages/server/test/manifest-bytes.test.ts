import type { ManifestFile } from '@shlkit/core';
import { describe, expect, it } from 'vitest';
import { jweBytes } from '../src/files/jwe-bytes.js';
import type { StoredFile } from '../src/links/links.repository.js';
import { embeddedEntry, manifestBytes } from '../src/manifests/manifest-bytes.js';

const stored = (id: string, jwe: string): StoredFile => ({
  id,
  position: 0,
  contentType: 'application/fhir+json;fhirVersion=4.0.1',
  jwe,
  lastUpdated: new Date('2026-12-01T10:00:00.000Z'),
});

/** The answer as the route's response schema would write it: its members, in its order, nothing else. */
const schemaJson = (status: string, files: ManifestFile[]): string =>
  JSON.stringify({
    status,
    files: files.map((file) => ({
      contentType: file.contentType,
      embedded: file.embedded,
      location: file.location,
      lastUpdated: file.lastUpdated,
    })),
  });

describe('a manifest answer as bytes (manifests/manifest-bytes.ts)', () => {
  it('writes what the response schema would: embedded, location and hand-made entries, in schema order', () => {
    const jwe = `eyJhbGciOiJkaXIifQ..${'A-_b'.repeat(40_000)}.tag`;
    const files: ManifestFile[] = [
      embeddedEntry(stored('f1', jwe)),
      {
        contentType: 'application/smart-health-card',
        lastUpdated: '2026-12-01T10:00:00.000Z',
        location: 'https://shl.example.org/shl/x/files/f2?ticket=t',
        status: 'finalized',
      },
      { contentType: 'application/fhir+json', embedded: 'a.b.c.d.e' },
    ];
    const bytes = manifestBytes({ status: 'can-change', files });
    expect(bytes.toString('utf8')).toBe(schemaJson('can-change', files));
  });

  it('escapes a JWE that JSON would have to escape, rather than sending its bytes as they are', () => {
    const odd = 'a"b\\c\nd\u2028e\u00e9';
    const files = [embeddedEntry(stored('f1', odd))];
    const bytes = manifestBytes({ status: 'finalized', files });
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({
      status: 'finalized',
      files: [
        {
          contentType: stored('f1', odd).contentType,
          embedded: odd,
          lastUpdated: '2026-12-01T10:00:00.000Z',
        },
      ],
    });
  });

  it('sends the file answers’ own bytes for a stored JWE, and an entry changed since as it is now', () => {
    const file = stored('f1', 'eyJ9..iv.ciphertext.tag');
    const entry = embeddedEntry(file);
    const answer = manifestBytes({ status: 'finalized', files: [entry] }).toString('utf8');
    expect(answer).toContain(`"embedded":"${jweBytes(file).toString('utf8')}"`);
    entry.embedded = 'x.y.z.w.v';
    expect(manifestBytes({ status: 'finalized', files: [entry] }).toString('utf8')).toContain(
      '"embedded":"x.y.z.w.v"',
    );
  });

  it('writes an empty file list', () => {
    expect(manifestBytes({ status: 'no-longer-valid', files: [] }).toString('utf8')).toBe(
      '{"status":"no-longer-valid","files":[]}',
    );
  });
});
