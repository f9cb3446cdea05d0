import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test-support/property-runs.js';
import {
  decodeShlink,
  decryptFile,
  encodeBase64url,
  encodeShlink,
  encryptFile,
  generateShlId,
  generateShlKey,
  isShlError,
  parseManifest,
  parseManifestRequest,
  recipientProblem,
} from '../src/index.js';

/** Runs `work` and passes when it returns or throws a coded ShlError; anything else is a bug. */
const onlyShlErrors = async (work: () => unknown): Promise<void> => {
  try {
    await work();
  } catch (error) {
    if (!isShlError(error)) throw error;
  }
};

/** Text as hostile as input gets: any code unit (lone surrogates, NUL, controls), JSON and base64url shards. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u001f',
      '\u007f',
      '\u2028',
      '\ud800',
      '\udfff',
      'A',
      '.',
      '-',
      '_',
      '/',
      '#',
      ':',
      '{',
      '"',
    ),
    maxLength: 80,
  }),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
);

/** JSON values with hostile strings, deep nesting and huge or odd numbers. */
const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileText,
    fc.constantFrom(0, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 1.5, -1, 2 ** 53, null, true, false),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        hostileText,
        fc.constantFrom(
          'recipient',
          'passcode',
          'embeddedLengthMax',
          'files',
          'status',
          'contentType',
          'embedded',
          'location',
          '__proto__',
          'constructor',
        ),
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

const deeplyNested = fc.integer({ min: 100, max: 5000 }).map((depth) => {
  let value: unknown = 'x';
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { recipient: value };
  return value;
});

describe('the link decoder under random input', () => {
  it('decodes or throws a coded ShlError, for any text', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, (text) => onlyShlErrors(() => decodeShlink(text))),
      propertyRuns(200),
    );
  });

  it('decodes or throws a coded ShlError, for any JSON behind shlink:/ (and behind a viewer URL)', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJson, fc.boolean(), (value, viewer) => {
        const encoded = encodeBase64url(new TextEncoder().encode(JSON.stringify(value) ?? 'null'));
        const text = viewer ? `https://viewer.example/#shlink:/${encoded}` : `shlink:/${encoded}`;
        return onlyShlErrors(() => decodeShlink(text));
      }),
      propertyRuns(200),
    );
  });

  it('gives back every valid payload it encoded', () => {
    let roundTrips = 0;
    fc.assert(
      fc.property(
        fc.record({
          label: fc.option(
            fc
              .string({ unit: 'grapheme', minLength: 1, maxLength: 80 })
              .filter((s) => s.trim() === s && !/\p{Cc}/u.test(s)),
            { nil: undefined },
          ),
          exp: fc.option(fc.integer({ min: 1, max: 4_000_000_000 }), { nil: undefined }),
          flag: fc.constantFrom(undefined, 'L', 'P', 'LP', 'U'),
        }),
        ({ label, exp, flag }) => {
          const payload = {
            url: `https://shl.example.org/shl/${generateShlId()}`,
            key: generateShlKey(),
            ...(label === undefined ? {} : { label }),
            ...(exp === undefined ? {} : { exp }),
            ...(flag === undefined ? {} : { flag }),
          };
          let encoded: string;
          try {
            encoded = encodeShlink(payload);
          } catch (error) {
            // A label the encoder refuses (too long in bytes, say) is refused with a code, never half-made.
            if (isShlError(error)) return;
            throw error;
          }
          expect(decodeShlink(encoded)).toMatchObject(payload);
          roundTrips += 1;
        },
      ),
      propertyRuns(150),
    );
    // Most generated payloads are valid: the property did not pass by refusing them all.
    expect(roundTrips).toBeGreaterThan(75);
  });
});

describe('the manifest request parser under random input', () => {
  it('returns a clean request or throws SHL_INVALID_MANIFEST_REQUEST, for any JSON body', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileJson,
          deeplyNested,
          fc.record({
            recipient: hostileText,
            passcode: fc.option(hostileText, { nil: undefined }),
            embeddedLengthMax: fc.option(fc.oneof(fc.integer(), fc.double(), hostileText), {
              nil: undefined,
            }),
          }),
        ),
        (body) => {
          try {
            const request = parseManifestRequest(body);
            expect(recipientProblem(request.recipient)).toBeUndefined();
            expect(
              Object.keys(request).every((key) =>
                ['recipient', 'passcode', 'embeddedLengthMax'].includes(key),
              ),
            ).toBe(true);
            if (request.embeddedLengthMax !== undefined)
              expect(Number.isSafeInteger(request.embeddedLengthMax)).toBe(true);
          } catch (error) {
            expect(error).toMatchObject({ code: 'SHL_INVALID_MANIFEST_REQUEST' });
          }
        },
      ),
      propertyRuns(200),
    );
  });
});

describe('the manifest parser under random input', () => {
  it('returns a manifest or throws a coded ShlError, for any JSON', async () => {
    const manifestLike = fc.record(
      {
        status: fc.oneof(fc.constantFrom('finalized', 'can-change', 'no-longer-valid'), hostileText),
        files: fc.array(
          fc.record(
            {
              contentType: hostileText,
              embedded: fc.option(hostileText),
              location: fc.option(hostileText),
              lastUpdated: fc.option(hostileText),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileJson, manifestLike, deeplyNested), (json) =>
        onlyShlErrors(() => parseManifest(json)),
      ),
      propertyRuns(200),
    );
  });
});

describe('JWE handling under random input', () => {
  it('decrypts or throws a coded ShlError, for any text and any key', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileText,
        fc.oneof(fc.constant(generateShlKey()), hostileText, fc.uint8Array({ maxLength: 40 })),
        (jwe, key) => onlyShlErrors(() => decryptFile(jwe, key)),
      ),
      propertyRuns(200),
    );
  });

  it('throws a coded ShlError for every corrupted real JWE, and never returns other plaintext', async () => {
    const key = generateShlKey();
    const plain = '{"resourceType":"Patient"}';
    const jwe = await encryptFile(plain, key, { contentType: 'application/fhir+json' });
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: jwe.length - 1 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
        async (at, insert) => {
          const mutated = jwe.slice(0, at) + insert + jwe.slice(at + 1);
          try {
            const file = await decryptFile(mutated, key);
            // Only a change that leaves the JWE bytes equal (base64url padding bits, trailing space) may open.
            expect(file.text()).toBe(plain);
          } catch (error) {
            if (!isShlError(error)) throw error;
          }
        },
      ),
      propertyRuns(150),
    );
  });
});
