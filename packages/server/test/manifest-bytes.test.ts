import type { Manifest, ManifestFile, ManifestStatus } from '@shlkit/core';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { jweBytes } from '../src/files/jwe-bytes.js';
import { JWE_CACHE_MIN_LENGTH } from '../src/files/jwe-cache.js';
import type { StoredFile } from '../src/links/links.repository.js';
import { embeddedEntry, ManifestSchema, manifestBytes } from '../src/manifests/manifest-bytes.js';

const stored = (id: string, jwe: string): StoredFile => ({
  id,
  position: 0,
  contentType: 'application/fhir+json;fhirVersion=4.0.1',
  jwe,
  lastUpdated: new Date('2026-12-01T10:00:00.000Z'),
});

/** The answer as Fastify's serializer writes it from the route's response schema. */
const schemaSerialized = async (manifest: Manifest & { status: ManifestStatus }): Promise<string> => {
  const app = Fastify();
  app.get('/', { schema: { response: { 200: ManifestSchema } } }, async () => manifest);
  try {
    return (await app.inject({ url: '/' })).body;
  } finally {
    await app.close();
  }
};

describe('a manifest answer as bytes (manifests/manifest-bytes.ts)', () => {
  it('writes what the response schema would: embedded, location and hand-made entries, in schema order', async () => {
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
    const manifest = { status: 'can-change' as const, files };
    expect(manifestBytes(manifest).toString('utf8')).toBe(await schemaSerialized(manifest));
  });

  it('escapes a JWE that JSON would have to escape, short or long, as the schema would', async () => {
    for (const odd of ['a"b\\c\nd\u2028e\u00e9\ud800', `${'x'.repeat(JWE_CACHE_MIN_LENGTH)}"\n`]) {
      const manifest = { status: 'finalized' as const, files: [embeddedEntry(stored('f1', odd))] };
      const bytes = manifestBytes(manifest).toString('utf8');
      expect(bytes).toBe(await schemaSerialized(manifest));
      expect(JSON.parse(bytes).files[0].embedded).toBe(odd);
    }
  });

  it('sends the file answers’ own bytes for a long stored JWE, and an entry changed since as it is now', () => {
    const file = stored('f1', `eyJ9..iv.${'c'.repeat(JWE_CACHE_MIN_LENGTH)}.tag`);
    const entry = embeddedEntry(file);
    // The bytes the file answers send (files/jwe-bytes.ts), marked: the manifest shows the mark.
    jweBytes(file)[0] = 'E'.charCodeAt(0);
    const answer = JSON.parse(manifestBytes({ status: 'finalized', files: [entry] }).toString('utf8'));
    expect(answer.files[0].embedded).toBe(`EyJ9..iv.${'c'.repeat(JWE_CACHE_MIN_LENGTH)}.tag`);
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
