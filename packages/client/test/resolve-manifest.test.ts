import { encryptFile, FHIR_JSON_R4 } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../src/index.js';
import { type HttpFixture, local, sendJson, sendText, startHttpFixture } from './http-fixture.js';
import { linkTo } from './links.js';
import { readSample, SPEC_EXAMPLE_KEY } from '../../../test-support/samples.js';

const specJwe = readSample('shl-vectors/spec-example-encrypted-shc.jwe.txt').trim();
const specPlaintext = readSample('shl-vectors/spec-example-encrypted-shc.decrypted.smart-health-card');
const ipsText = readSample('ips/IPS_IG_bundle-minimal.json');
const apiAccess = JSON.stringify({
  access_token: 'tok',
  aud: 'https://fhir.example.org/r4',
  token_type: 'bearer',
});

let server: HttpFixture;
beforeAll(async () => {
  server = await startHttpFixture();
});
afterAll(() => server.close());

const requestsSince = (count: number) => server.requests.slice(count);

describe('a manifest link', () => {
  it('POSTs recipient, passcode and embeddedLengthMax as JSON and opens embedded and location files', async () => {
    const ipsJwe = await encryptFile(ipsText, SPEC_EXAMPLE_KEY, {
      contentType: FHIR_JSON_R4,
      compress: true,
    });
    const accessJwe = await encryptFile(apiAccess, SPEC_EXAMPLE_KEY, {
      contentType: 'application/smart-api-access',
    });
    server.routes.set('/m/full', (_req, res) =>
      sendJson(res, 200, {
        status: 'can-change',
        files: [
          { contentType: FHIR_JSON_R4, embedded: ipsJwe, lastUpdated: '2025-03-09T15:29:46Z' },
          { contentType: 'application/smart-health-card', location: `${server.origin}/files/shc?ticket=t1` },
          { contentType: 'application/smart-api-access', embedded: accessJwe },
        ],
      }),
    );
    server.routes.set('/files/shc', (_req, res) => sendText(res, 200, specJwe, 'application/jose'));
    const before = server.requests.length;

    const resolved = await resolve(linkTo(`${server.origin}/m/full`, { flag: 'LP' }), {
      recipient: 'Example Clinic',
      passcode: '1234',
      embeddedLengthMax: 100_000,
      ...local,
    });

    const [manifestRequest, fileRequest] = requestsSince(before);
    expect(manifestRequest?.method).toBe('POST');
    expect(manifestRequest?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(manifestRequest?.body ?? '')).toEqual({
      recipient: 'Example Clinic',
      passcode: '1234',
      embeddedLengthMax: 100_000,
    });
    expect(fileRequest?.method).toBe('GET');
    expect(fileRequest?.path).toBe('/files/shc?ticket=t1');
    expect(resolved.status).toBe('can-change');
    expect(resolved.files.map((file) => file.contentType)).toEqual([
      FHIR_JSON_R4,
      'application/smart-health-card',
      'application/smart-api-access',
    ]);
    expect(resolved.files[0]?.json).toEqual(JSON.parse(ipsText));
    expect(resolved.files[0]?.lastUpdated).toBe('2025-03-09T15:29:46Z');
    expect(resolved.files[1]?.text).toBe(specPlaintext);
    expect(resolved.files[1]?.lastUpdated).toBeUndefined();
    expect(resolved.files[2]?.json).toMatchObject({ access_token: 'tok' });
  });

  it('reads the older manifest shape, with status and fhirVersion on each file', async () => {
    const ipsJwe = await encryptFile(ipsText, SPEC_EXAMPLE_KEY, { contentType: 'application/fhir+json' });
    server.routes.set('/m/old', (_req, res) =>
      sendJson(res, 200, {
        files: [
          {
            contentType: 'application/fhir+json',
            embedded: ipsJwe,
            status: 'finalized',
            fhirVersion: '4.0.1',
          },
          { contentType: 'application/smart-health-card', embedded: specJwe, status: 'can-change' },
        ],
      }),
    );

    const resolved = await resolve(linkTo(`${server.origin}/m/old`), { recipient: 'r', ...local });

    expect(resolved.status).toBe('can-change');
    expect(resolved.files).toHaveLength(2);
    expect(resolved.files[0]?.json).toMatchObject({ resourceType: 'Bundle' });
  });

  it('inflates the 1.8 MB IPS sample (zip DEF) within a raised, bounded limit, and refuses it under a small one', async () => {
    const big = readSample('ips/CA_VeroSource_colorful_balloon.json');
    const bigJwe = await encryptFile(big, SPEC_EXAMPLE_KEY, { contentType: FHIR_JSON_R4, compress: true });
    server.routes.set('/m/big', (_req, res) =>
      sendJson(res, 200, { files: [{ contentType: FHIR_JSON_R4, embedded: bigJwe }] }),
    );
    const link = linkTo(`${server.origin}/m/big`);

    const resolved = await resolve(link, { recipient: 'r', maxDecompressedLength: 4_000_000, ...local });
    expect(resolved.files[0]?.text).toBe(big);

    await expect(
      resolve(link, { recipient: 'r', maxDecompressedLength: 250_000, ...local }),
    ).rejects.toMatchObject({ code: 'SHL_RESPONSE_TOO_LARGE' });
  });

  it('refetches the manifest once when a location has expired (404), then uses the new location', async () => {
    let manifests = 0;
    server.routes.set('/m/expiring', (_req, res) => {
      manifests += 1;
      sendJson(res, 200, {
        files: [
          { contentType: 'application/smart-health-card', location: `${server.origin}/files/t${manifests}` },
        ],
      });
    });
    server.routes.set('/files/t2', (_req, res) => sendText(res, 200, specJwe, 'application/jose'));
    const before = server.requests.length;

    const resolved = await resolve(linkTo(`${server.origin}/m/expiring`), { recipient: 'r', ...local });

    expect(resolved.files[0]?.text).toBe(specPlaintext);
    expect(requestsSince(before).map((req) => `${req.method} ${req.path}`)).toEqual([
      'POST /m/expiring',
      'GET /files/t1',
      'POST /m/expiring',
      'GET /files/t2',
    ]);
  });

  it('gives up with SHL_NOT_FOUND when the refetched manifest points to a used-up location (410) again', async () => {
    server.routes.set('/m/consumed', (_req, res) =>
      sendJson(res, 200, {
        files: [{ contentType: 'application/fhir+json', location: `${server.origin}/files/used` }],
      }),
    );
    server.routes.set('/files/used', (_req, res) => {
      res.writeHead(410).end();
    });
    const before = server.requests.length;

    await expect(
      resolve(linkTo(`${server.origin}/m/consumed`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({ code: 'SHL_NOT_FOUND' });
    expect(requestsSince(before).filter((req) => req.method === 'POST')).toHaveLength(2);
  });

  it('returns the Retry-After of a successful manifest answer', async () => {
    server.routes.set('/m/slow', (_req, res) =>
      sendJson(
        res,
        200,
        { files: [{ contentType: 'application/smart-health-card', embedded: specJwe }] },
        {
          'retry-after': '120',
        },
      ),
    );

    const resolved = await resolve(linkTo(`${server.origin}/m/slow`, { flag: 'L' }), {
      recipient: 'r',
      ...local,
    });

    expect(resolved.retryAfter).toBe(120);
  });

  it("reads the IG's example manifest, fetching its location with the query intact; its truncated embedded JWE is SHL_DECRYPT_FAILED", async () => {
    const igManifest = readSample('shl-vectors/shl-manifest-1.json');
    server.routes.set('/m/ig', (_req, res) => sendText(res, 200, igManifest, 'application/json'));
    server.routes.set('/file1', (_req, res) => sendText(res, 200, specJwe, 'application/jose'));
    // The IG's hosts are public names: answer them from the local fixture, with the SSRF guard left on.
    const toFixture = ((input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      return fetch(`${server.origin}${url.pathname}${url.search}`, init);
    }) as typeof fetch;
    const before = server.requests.length;

    await expect(
      resolve(linkTo('https://shl.example.org/m/ig'), {
        recipient: 'r',
        fetch: toFixture,
        lookup: async () => ['93.184.216.34'],
      }),
    ).rejects.toMatchObject({ code: 'SHL_DECRYPT_FAILED' });
    expect(requestsSince(before).map((req) => `${req.method} ${req.path}`)).toEqual([
      'POST /m/ig',
      'GET /file1?sas=MFXK6jL3oL3SI_lRfi_-cEfzIs5oHs6rRWmrsCAFzvk',
    ]);
  });

  it("takes a U link file's type from the JWE cty header, as there is no manifest", async () => {
    const untyped = await encryptFile(ipsText, SPEC_EXAMPLE_KEY, { contentType: 'application/fhir+json' });
    server.routes.set('/direct/typed', (_req, res) => sendText(res, 200, untyped, 'application/jose'));

    const resolved = await resolve(linkTo(`${server.origin}/direct/typed`, { flag: 'U' }), {
      recipient: 'r',
      ...local,
    });

    expect(resolved.files[0]?.contentType).toBe('application/fhir+json');
  });
});
