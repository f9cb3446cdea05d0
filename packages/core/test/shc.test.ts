import { describe, expect, it } from 'vitest';
import { type Jwks, parseShcJws, verifyShcJws } from '../src/index.js';
import { readSample, readSampleJson } from '../../../test-support/samples.js';

const jwks = readSampleJson<Jwks>('shc/issuer-jwks.json');
const jws = readSample('shc/example-00-d-jws.txt').trim();

describe('SMART Health Card signatures', () => {
  it('verifies the example card against its issuer key set', async () => {
    const result = await verifyShcJws(jws, jwks);
    expect(result.verified).toBe(true);
    expect(result.issuer).toBe('https://spec.smarthealth.cards/examples/issuer');
    expect(result.fhirBundle?.resourceType).toBe('Bundle');
  });

  it('verifies the card inside the SHL encryption example', async () => {
    const file = readSampleJson<{ verifiableCredential: string[] }>(
      'shl-vectors/spec-example-encrypted-shc.decrypted.smart-health-card',
    );
    const [card = ''] = file.verifiableCredential;
    expect((await verifyShcJws(card, jwks)).verified).toBe(true);
  });

  it('reports a changed payload as a bad signature, still showing the contents', async () => {
    const [header, payload = '', signature] = jws.split('.');
    // Flip one character well inside the payload: still base64url, no longer what was signed.
    const middle = Math.floor(payload.length / 2);
    const flipped = payload[middle] === 'A' ? 'B' : 'A';
    const tampered = [
      header,
      `${payload.slice(0, middle)}${flipped}${payload.slice(middle + 1)}`,
      signature,
    ].join('.');
    const result = await verifyShcJws(tampered, jwks).catch((error: { code?: string }) => error);
    // A flipped bit can break the DEFLATE stream (malformed card) or survive it (bad signature): both refuse.
    if ('verified' in result) expect(result).toMatchObject({ verified: false, reason: 'bad-signature' });
    else expect(result.code).toBe('SHL_INVALID_SHC');
  });

  it('reports a key set without the card kid as unknown-key', async () => {
    const result = await verifyShcJws(jws, { keys: jwks.keys.map((key) => ({ ...key, kid: 'other' })) });
    expect(result).toMatchObject({ verified: false, reason: 'unknown-key' });
  });

  it('reads a card without verifying it', async () => {
    const card = await parseShcJws(jws);
    expect(card.header).toMatchObject({ alg: 'ES256', zip: 'DEF' });
    expect(card.payload.vc.type).toContain('https://smarthealth.cards#health-card');
  });

  it.each([
    ['two parts', 'a.b'],
    ['a header that is not JSON', 'bm90IGpzb24.e30.c2ln'],
    ['a payload that does not inflate', `${Buffer.from('{"zip":"DEF"}').toString('base64url')}.AAAA.c2ln`],
    [
      'a payload without an issuer',
      `${Buffer.from('{}').toString('base64url')}.${Buffer.from('{"vc":{}}').toString('base64url')}.c2ln`,
    ],
  ])('refuses a card with %s as SHL_INVALID_SHC', async (_name, text) => {
    await expect(parseShcJws(text)).rejects.toMatchObject({ code: 'SHL_INVALID_SHC' });
  });
});
