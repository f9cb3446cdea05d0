import {
  type Bundle,
  isShlError,
  type Jwks,
  parseShcJws,
  type ShcJwsHeader,
  type ShcPayload,
  type ShcVerificationFailure,
  verifyShcJws,
} from '@shlkit/core';
import { ShlClientError } from '../errors.js';
import type { FetchGuardOptions } from '../fetch/guarded-fetch.js';
import { fetchIssuerKeys } from './issuer-keys.js';

export interface VerifySmartHealthCardOptions extends FetchGuardOptions {
  /** The issuer's key set, for offline use: nothing is fetched when it is given. */
  jwks?: Jwks;
  /**
   * Key sets already fetched, by issuer. `verifySmartHealthCards` shares one between the cards of a file so
   * an issuer is fetched once; pass your own to cache across calls.
   */
  jwksCache?: Map<string, Promise<Jwks>>;
}

export type SmartHealthCardFailure = ShcVerificationFailure | 'unreachable-issuer';

export interface SmartHealthCardVerification {
  /** The payload's `iss`: who claims to have issued the card. Trust it only when `verified` is true. */
  issuer: string;
  verified: boolean;
  /** Why `verified` is false. */
  reason?: SmartHealthCardFailure;
  /** A sentence for people about `reason` (which URL failed, and how). */
  detail?: string;
  fhirBundle: Bundle | undefined;
  payload: ShcPayload;
  header: ShcJwsHeader;
}

/**
 * Verifies one SMART Health Card JWS against its issuer's keys (given, or fetched from
 * `<iss>/.well-known/jwks.json`). A card that cannot be read throws `SHL_INVALID_SHC`; a readable card whose
 * signature cannot be checked or does not match answers `verified: false` with a reason, so a viewer can
 * still show it, marked as unverified. An issuer that cannot be reached is `unreachable-issuer`, not a throw.
 * Spec: SMART Health Cards framework (same IG), signature verification against the issuer's keys.
 *
 * @param jws - one compact JWS of a card
 * @param options - `jwks` (no fetch), `jwksCache` (key sets by issuer), and the fetch guard as for
 *   `resolve` (the issuer URL gets the same address rules as a link's)
 * @returns the issuer, `verified`, `reason` and `detail` when not verified, the FHIR Bundle, payload and
 *   header
 * @throws {ShlClientError} `SHL_INVALID_SHC` for a card that cannot be read; the abort reason when
 *   `signal` aborts
 */
export const verifySmartHealthCard = async (
  jws: string,
  options: VerifySmartHealthCardOptions = {},
): Promise<SmartHealthCardVerification> => {
  let contents: Awaited<ReturnType<typeof parseShcJws>>;
  try {
    contents = await parseShcJws(jws);
  } catch (cause) {
    if (!isShlError(cause)) throw cause;
    throw new ShlClientError('SHL_INVALID_SHC', cause.message, { cause });
  }
  const { issuer, payload, header, fhirBundle } = contents;
  let jwks: Jwks;
  try {
    jwks = options.jwks ?? (await issuerKeys(issuer, options));
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const detail = error instanceof Error ? error.message : String(error);
    return { issuer, verified: false, reason: 'unreachable-issuer', detail, fhirBundle, payload, header };
  }
  const verification = await verifyShcJws(jws, jwks);
  const result: SmartHealthCardVerification = {
    issuer,
    verified: verification.verified,
    fhirBundle,
    payload,
    header,
  };
  if (verification.reason !== undefined) result.reason = verification.reason;
  return result;
};

/**
 * Verifies every card of a `application/smart-health-card` file (`{verifiableCredential: [jws...]}`), one
 * after another, fetching each issuer's key set once. Spec: SHL STU 1 file contents (docs/shl-protocol.md
 * section 4) and SMART Health Cards verification.
 *
 * @param file - the decrypted file, parsed (`ResolvedFile.json`)
 * @param options - as for `verifySmartHealthCard`
 * @returns one verification per card, in order
 * @throws {ShlClientError} `SHL_INVALID_SHC` for a file that is not `{verifiableCredential: [string...]}`
 *   or a card that cannot be read
 */
export const verifySmartHealthCards = async (
  file: unknown,
  options: VerifySmartHealthCardOptions = {},
): Promise<SmartHealthCardVerification[]> => {
  const cards = (file as { verifiableCredential?: unknown } | null)?.verifiableCredential;
  if (!Array.isArray(cards) || !cards.every((card) => typeof card === 'string')) {
    throw new ShlClientError('SHL_INVALID_SHC', 'a health card file is {"verifiableCredential": [JWS, ...]}');
  }
  const shared = { ...options, jwksCache: options.jwksCache ?? new Map<string, Promise<Jwks>>() };
  const results: SmartHealthCardVerification[] = [];
  for (const card of cards as string[]) results.push(await verifySmartHealthCard(card, shared));
  return results;
};

const issuerKeys = (issuer: string, options: VerifySmartHealthCardOptions): Promise<Jwks> => {
  const cache = options.jwksCache;
  const cached = cache?.get(issuer);
  if (cached) return cached;
  const pending = fetchIssuerKeys(issuer, options);
  if (cache) {
    cache.set(issuer, pending);
    // A failed fetch is not kept: the next call may find the issuer reachable again.
    pending.catch(() => cache.delete(issuer));
  }
  return pending;
};
