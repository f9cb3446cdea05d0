import type { Jwks } from '@shlkit/core';
import { ShlClientError } from '../errors.js';
import { type FetchGuardOptions, guardedFetch } from '../fetch/guarded-fetch.js';

/** A JWKS is small; 1 MiB is generous and keeps a hostile issuer from filling memory. */
const MAX_JWKS_BYTES = 1024 * 1024;

/**
 * SHC: an issuer publishes its signing keys at `<iss>/.well-known/jwks.json` (`iss` has no trailing slash).
 * Never throws. Spec: SMART Health Cards framework (same IG), issuer key publication.
 *
 * @param issuer - a card's `iss`
 * @returns the key set URL (trailing slashes of `issuer` dropped)
 */
export const jwksUrl = (issuer: string): string => `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;

/**
 * Fetches an issuer's key set through the guarded fetch: `iss` is written by whoever made the card, so it
 * gets the same SSRF rules as a link's URL. Throws `ShlClientError` when the set cannot be had.
 */
export const fetchIssuerKeys = async (issuer: string, options: FetchGuardOptions): Promise<Jwks> => {
  const response = await guardedFetch(
    jwksUrl(issuer),
    { method: 'GET', headers: { accept: 'application/json' } },
    { ...options, maxResponseBytes: Math.min(options.maxResponseBytes ?? MAX_JWKS_BYTES, MAX_JWKS_BYTES) },
  );
  if (response.status !== 200) {
    throw new ShlClientError(
      'SHL_INVALID_RESPONSE',
      `the issuer's key set answered HTTP ${response.status}`,
      {
        status: response.status,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(response.body));
  } catch (cause) {
    throw new ShlClientError('SHL_INVALID_RESPONSE', "the issuer's key set is not JSON", { cause });
  }
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys))
    throw new ShlClientError('SHL_INVALID_RESPONSE', "the issuer's key set has no keys");
  return { keys: keys.filter((key) => typeof key === 'object' && key !== null) } as Jwks;
};
