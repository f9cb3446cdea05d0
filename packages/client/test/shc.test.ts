import type { Jwks } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySmartHealthCard, verifySmartHealthCards } from '../src/index.js';
import { type HttpFixture, sendJson, startHttpFixture } from './http-fixture.js';
import { readSample, readSampleJson } from '../../../test-support/samples.js';

const ISSUER = 'https://spec.smarthealth.cards/examples/issuer';
const jwks = readSampleJson<Jwks>('shc/issuer-jwks.json');
const jws = readSample('shc/example-00-d-jws.txt').trim();
const cardFile = readSampleJson<{ verifiableCredential: string[] }>(
  'shc/example-02-e-file.smart-health-card',
);
const specFile = readSampleJson<{ verifiableCredential: string[] }>(
  'shl-vectors/spec-example-encrypted-shc.decrypted.smart-health-card',
);

let server: HttpFixture;
beforeAll(async () => {
  server = await startHttpFixture();
  server.routes.set('/examples/issuer/.well-known/jwks.json', (_req, res) => sendJson(res, 200, jwks));
});
afterAll(() => server.close());

/** Sends the issuer's https requests to the local fixture, which serves the issuer's real key set. */
const issuerFetch = (): typeof fetch =>
  ((input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    return fetch(`${server.origin}${url.pathname}${url.search}`, init);
  }) as typeof fetch;
const publicLookup = async () => ['93.184.216.34'];

/** Another real card's payload under this card's header and signature: well-formed, but not what was signed. */
const swapPayload = (card: string, donor: string): string => {
  const [header, , signature] = card.split('.');
  return [header, donor.split('.')[1], signature].join('.');
};

describe('SMART Health Card verification', () => {
  it('verifies the example card against a key set given by the caller, offline', async () => {
    const result = await verifySmartHealthCard(jws, {
      jwks,
      fetch: () => Promise.reject(new Error('offline')),
    });

    expect(result.verified).toBe(true);
    expect(result.reason).toBeUndefined();
    expect(result.issuer).toBe(ISSUER);
    expect(result.fhirBundle?.resourceType).toBe('Bundle');
    expect(result.payload.iss).toBe(ISSUER);
  });

  it("fetches the issuer's key set from <iss>/.well-known/jwks.json once per file", async () => {
    const before = server.requests.length;
    const cards = [...specFile.verifiableCredential, ...cardFile.verifiableCredential];

    const results = await verifySmartHealthCards(
      { verifiableCredential: cards },
      { fetch: issuerFetch(), lookup: publicLookup },
    );

    expect(results.map((result) => result.verified)).toEqual([true, true]);
    expect(server.requests.slice(before).map((req) => req.path)).toEqual([
      '/examples/issuer/.well-known/jwks.json',
    ]);
  });

  it('reports a changed payload as not verified (bad-signature), still showing the contents', async () => {
    const result = await verifySmartHealthCard(swapPayload(jws, cardFile.verifiableCredential[0] ?? ''), {
      jwks,
    });

    expect(result.verified).toBe(false);
    expect(result.reason).toBe('bad-signature');
    expect(result.fhirBundle?.resourceType).toBe('Bundle');
  });

  it('reports a card signed by a key the issuer does not list as unknown-key', async () => {
    const result = await verifySmartHealthCard(jws, { jwks: { keys: [] } });

    expect(result).toMatchObject({ verified: false, reason: 'unknown-key' });
  });

  it('answers unreachable-issuer, not a throw, when the issuer cannot be reached', async () => {
    const lookup = () => Promise.reject(new Error('getaddrinfo ENOTFOUND spec.smarthealth.cards'));

    const result = await verifySmartHealthCard(jws, { lookup });

    expect(result).toMatchObject({ verified: false, reason: 'unreachable-issuer', issuer: ISSUER });
    expect(result.fhirBundle?.resourceType).toBe('Bundle');
  });

  it('does not fetch keys from an issuer URL that resolves to a private address', async () => {
    const before = server.requests.length;

    const result = await verifySmartHealthCard(jws, {
      fetch: issuerFetch(),
      lookup: async () => ['10.0.0.5'],
    });

    expect(result).toMatchObject({ verified: false, reason: 'unreachable-issuer' });
    expect(result.detail).toContain('10.0.0.5');
    expect(server.requests.length).toBe(before);
  });

  it('throws SHL_INVALID_SHC for text that is not a health card', async () => {
    await expect(verifySmartHealthCard('not.a.card', { jwks })).rejects.toMatchObject({
      code: 'SHL_INVALID_SHC',
    });
    await expect(verifySmartHealthCards({ resourceType: 'Bundle' }, { jwks })).rejects.toMatchObject({
      code: 'SHL_INVALID_SHC',
    });
  });
});
