import { compactVerify, importJWK, type JWK } from 'jose';
import { parseShcJws, type ShcContents } from './parse-shc-jws.js';

export interface Jwks {
  keys: JWK[];
}

export type ShcVerificationFailure = 'unknown-key' | 'bad-signature' | 'unsupported-algorithm';

export interface ShcVerification extends ShcContents {
  verified: boolean;
  /** Why `verified` is false. */
  reason?: ShcVerificationFailure;
}

/**
 * Verifies a SMART Health Card JWS against its issuer's key set. SHC: cards are signed ES256 with a P-256
 * key whose `kid` is in `<iss>/.well-known/jwks.json`; fetching that set is the caller's job. A malformed
 * card throws `SHL_INVALID_SHC`; a well-formed card that fails verification answers `verified: false`.
 * Spec: SMART Health Cards (same IG), issuer keys and signature verification.
 *
 * @param jws - one compact JWS of a card
 * @param jwks - the issuer's key set, as served at `<iss>/.well-known/jwks.json`
 * @returns what `parseShcJws` returns, with `verified` and, when false, `reason` (`unsupported-algorithm`,
 *   `unknown-key`, `bad-signature`)
 * @throws {ShlError} `SHL_INVALID_SHC` for a card that cannot be read (see `parseShcJws`)
 */
export const verifyShcJws = async (jws: string, jwks: Jwks): Promise<ShcVerification> => {
  const contents = await parseShcJws(jws);
  if (contents.header.alg !== 'ES256')
    return { ...contents, verified: false, reason: 'unsupported-algorithm' };
  const jwk = jwks.keys.find((key) => key.kid === contents.header.kid && key.kty === 'EC');
  if (!jwk) return { ...contents, verified: false, reason: 'unknown-key' };
  try {
    const key = await importJWK({ ...jwk, alg: 'ES256' }, 'ES256');
    await compactVerify(jws.trim(), key, { algorithms: ['ES256'] });
    return { ...contents, verified: true };
  } catch {
    // Any failure here (a key that does not import, a signature that does not match) means "not verified";
    // the card's contents are still shown, marked as such.
    return { ...contents, verified: false, reason: 'bad-signature' };
  }
};
