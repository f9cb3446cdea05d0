import { describe, expect, it } from 'vitest';
import {
  isShlError,
  isWithdrawnStatus,
  MANIFEST_STATUSES,
  manifestStatus,
  parseManifest,
  parseManifestRequest,
  passcodeProblem,
  recipientProblem,
  type ShlErrorCode,
  statusMeaning,
  WITHDRAWN_STATUSES,
} from '../src/index.js';
import { readSampleJson } from '../../../test-support/samples.js';

const codeOf = (fn: () => unknown): ShlErrorCode | undefined => {
  try {
    fn();
  } catch (error) {
    if (isShlError(error)) return error.code;
    throw error;
  }
  return undefined;
};

describe('reading a manifest', () => {
  it("accepts the IG's example, which mixes the STU 1 and the older per-file shape", () => {
    const manifest = parseManifest(readSampleJson('shl-vectors/shl-manifest-1.json'));
    expect(manifest.files).toHaveLength(3);
    expect(manifest.files[0]?.location).toMatch(/^https:/);
    expect(manifest.files[1]?.embedded).toMatch(/^eyJ/);
    expect(manifest.files[2]).toMatchObject({
      status: 'finalized',
      fhirVersion: '4.0.1',
      lastUpdated: '2025-03-09T15:29:46Z',
    });
    expect(manifestStatus(manifest)).toBe('finalized');
  });

  it('prefers the manifest-level status and drops unknown fields', () => {
    const manifest = parseManifest({
      status: 'can-change',
      files: [{ contentType: 'application/fhir+json', embedded: 'x', extra: 1 }],
      extra: true,
    });
    expect(manifest).toEqual({
      status: 'can-change',
      files: [{ contentType: 'application/fhir+json', embedded: 'x' }],
    });
    expect(manifestStatus(manifest)).toBe('can-change');
  });

  it('keeps every status as sent, known or not, on the manifest and on each file', () => {
    const manifest = parseManifest({
      status: 'paused',
      files: [
        { contentType: 'a', embedded: 'x', status: 'entered-in-error' },
        { contentType: 'b', embedded: 'y', status: 'retracted' },
        { contentType: 'c', embedded: 'z', status: 42 },
      ],
    });
    expect(manifest).toEqual({
      status: 'paused',
      files: [
        { contentType: 'a', embedded: 'x', status: 'entered-in-error' },
        { contentType: 'b', embedded: 'y', status: 'retracted' },
        { contentType: 'c', embedded: 'z' },
      ],
    });
    expect(manifestStatus(manifest)).toBe('paused');
  });

  it('says which statuses withdraw the content and which it does not know', () => {
    expect(WITHDRAWN_STATUSES).toEqual(['no-longer-valid', 'entered-in-error', 'retracted']);
    for (const status of WITHDRAWN_STATUSES) expect(isWithdrawnStatus(status)).toBe(true);
    for (const status of [undefined, 'finalized', 'can-change', 'paused']) {
      expect(isWithdrawnStatus(status)).toBe(false);
    }
    expect([undefined, 'finalized', 'can-change', 'paused'].map(statusMeaning)).toEqual([
      'current',
      'current',
      'current',
      'unknown',
    ]);
  });

  it('takes no-longer-valid from the manifest or, in the older shape, from any file', () => {
    expect(manifestStatus(parseManifest({ status: 'no-longer-valid', files: [] }))).toBe('no-longer-valid');
    const older = parseManifest({
      files: [
        { contentType: 'a', embedded: 'x', status: 'can-change' },
        { contentType: 'b', embedded: 'y', status: 'no-longer-valid' },
      ],
    });
    expect(manifestStatus(older)).toBe('no-longer-valid');
  });

  it('derives a status from the older per-file shape, can-change winning over finalized', () => {
    const manifest = parseManifest({
      files: [
        { contentType: 'a', embedded: 'x', status: 'finalized' },
        { contentType: 'b', embedded: 'y', status: 'can-change' },
      ],
    });
    expect(manifestStatus(manifest)).toBe('can-change');
    expect(manifestStatus(parseManifest({ files: [] }))).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['not an object', []],
    ['no files', {}],
    ['a file without content type', { files: [{ embedded: 'x' }] }],
    ['a file with neither embedded nor location', { files: [{ contentType: 'a' }] }],
    ['a location that is not a string', { files: [{ contentType: 'a', location: 1 }] }],
  ])('refuses a manifest with %s', (_name, json) => {
    expect(codeOf(() => parseManifest(json))).toBe('SHL_INVALID_MANIFEST');
  });
});

describe('reading a manifest request', () => {
  it('keeps an embeddedLengthMax beyond 2^53 as the largest safe integer (found by fast-check)', () => {
    expect(parseManifestRequest({ recipient: 'r', embeddedLengthMax: 2 ** 53 }).embeddedLengthMax).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    expect(parseManifestRequest({ recipient: 'r', embeddedLengthMax: 1e300 }).embeddedLengthMax).toBe(
      Number.MAX_SAFE_INTEGER,
    );
  });

  it('keeps recipient, passcode and embeddedLengthMax and ignores the rest', () => {
    expect(
      parseManifestRequest({ recipient: 'Dr. A', passcode: '1234', embeddedLengthMax: 0, x: 1 }),
    ).toEqual({
      recipient: 'Dr. A',
      passcode: '1234',
      embeddedLengthMax: 0,
    });
  });

  it('keeps a recipient in any script, with emoji, up to 1000 characters', () => {
    for (const recipient of ['Łukasz Müller — 診療所 🏥', 'x'.repeat(1000)]) {
      expect(parseManifestRequest({ recipient }).recipient).toBe(recipient);
    }
  });

  it('keeps the joiners that names and emoji need (U+200C in Persian, U+200D in an emoji sequence)', () => {
    for (const recipient of ['\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645', 'Dr 👩\u200d⚕️', '7']) {
      expect(recipientProblem(recipient)).toBeUndefined();
      expect(parseManifestRequest({ recipient }).recipient).toBe(recipient);
    }
  });

  it('keeps a passcode of any printable characters, and an empty one (the server treats it as none)', () => {
    for (const passcode of ['', ' 1 2 ', '🔑 Łódź', 'x'.repeat(1000)]) {
      expect(parseManifestRequest({ recipient: 'a', passcode }).passcode).toBe(passcode);
      expect(passcodeProblem(passcode)).toBeUndefined();
    }
  });

  it.each<[string, unknown, string]>([
    ['a body that is not an object', 'recipient', ''],
    ['no recipient', {}, 'recipient'],
    ['a blank recipient', { recipient: '  ' }, 'recipient'],
    ['a recipient of tabs and line breaks', { recipient: '\t\r\n' }, 'recipient'],
    ['a recipient with U+0000', { recipient: 'a\u0000b' }, 'recipient'],
    ['a recipient with an escape character', { recipient: 'a\u001bb' }, 'recipient'],
    ['a recipient with DEL', { recipient: 'a\u007fb' }, 'recipient'],
    ['a recipient with a C1 control', { recipient: 'a\u009bb' }, 'recipient'],
    ['a recipient with a lone surrogate', { recipient: 'a\udc00' }, 'recipient'],
    ['a recipient over 1000 characters', { recipient: 'x'.repeat(1001) }, 'recipient'],
    ['a recipient of only a zero width space', { recipient: '\u200b' }, 'recipient'],
    ['a recipient with a zero width space', { recipient: 'a\u200bb' }, 'recipient'],
    ['a recipient with a right-to-left override', { recipient: 'Dr A\u202egpj.exe' }, 'recipient'],
    ['a recipient with a bidi isolate', { recipient: 'a\u2066b' }, 'recipient'],
    ['a recipient with a byte order mark', { recipient: '\ufeffa' }, 'recipient'],
    ['a recipient with a line separator', { recipient: 'a\u2028b' }, 'recipient'],
    ['a recipient with a paragraph separator', { recipient: 'a\u2029b' }, 'recipient'],
    ['a recipient of punctuation only', { recipient: '-- . --' }, 'recipient'],
    ['a recipient of joiners only', { recipient: '\u200c\u200d' }, 'recipient'],
    ['a passcode with a lone high surrogate', { recipient: 'a', passcode: '\ud800' }, 'passcode'],
    ['a passcode with a lone low surrogate', { recipient: 'a', passcode: 'x\udfff' }, 'passcode'],
    ['a passcode with U+0000', { recipient: 'a', passcode: 'a\u0000' }, 'passcode'],
    ['a passcode with a line break', { recipient: 'a', passcode: '1234\n' }, 'passcode'],
    ['a passcode over 1000 characters', { recipient: 'a', passcode: 'x'.repeat(1001) }, 'passcode'],
    ['a numeric passcode', { recipient: 'a', passcode: 1234 }, 'passcode'],
    ['a negative embeddedLengthMax', { recipient: 'a', embeddedLengthMax: -1 }, 'embeddedLengthMax'],
    ['a fractional embeddedLengthMax', { recipient: 'a', embeddedLengthMax: 1.5 }, 'embeddedLengthMax'],
  ])('refuses %s', (_name, body, field) => {
    try {
      parseManifestRequest(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'SHL_INVALID_MANIFEST_REQUEST', field });
    }
  });
});

/** Fields and sentences of refusals (issue 12: mutants of field names and of the sentences went unnoticed). */
describe('manifest refusals name the field, and request refusals come with a sentence', () => {
  it('the manifest statuses a sender may write are the three of SHL STU 1', () => {
    expect(MANIFEST_STATUSES).toEqual(['finalized', 'can-change', 'no-longer-valid']);
  });

  it.each<[string, unknown, string]>([
    ['no files array', { files: 'x' }, 'files'],
    ['an embedded that is not a string', { files: [{ contentType: 'a', embedded: 1 }] }, 'files[0].embedded'],
    ['a location that is not a string', { files: [{ contentType: 'a', location: 1 }] }, 'files[0].location'],
    [
      'a lastUpdated that is not a string',
      { files: [{ contentType: 'a', embedded: 'e', lastUpdated: 1 }] },
      'files[0].lastUpdated',
    ],
    [
      'a fhirVersion that is not a string',
      { files: [{ contentType: 'a', embedded: 'e', fhirVersion: 4 }] },
      'files[0].fhirVersion',
    ],
    [
      'a second file with neither embedded nor location',
      { files: [{ contentType: 'a', embedded: 'e' }, { contentType: 'b' }] },
      'files[1]',
    ],
  ])('refuses a manifest with %s, naming the field', (_name, json, field) => {
    expect(() => parseManifest(json)).toThrow(
      expect.objectContaining({ code: 'SHL_INVALID_MANIFEST', field }),
    );
  });

  it('every refused recipient and passcode gets a sentence for people, never an empty one', () => {
    for (const recipient of [undefined, '  ', 'x'.repeat(1001), 'a\u0000b', '-- . --']) {
      expect(recipientProblem(recipient)).toMatch(/\p{L}/u);
    }
    expect(passcodeProblem('a\u0000')).toMatch(/\p{L}/u);
  });
});
