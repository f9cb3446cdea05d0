import { createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Clock } from '../clock.js';
import { ServerError } from '../errors.js';
import { discoverJwksUri } from './discovery.js';

/** What a verified access token says about its user. */
export interface OidcIdentity {
  /** `sub`: the user the token acts for. */
  subject: string;
  /** The SMART `patient` claim (the FHIR id of the patient in context), when the token carries one. */
  patient: string | undefined;
}

export interface OidcVerifierOptions {
  /** SHL_OIDC_ISSUER: tokens must carry exactly this `iss`. */
  issuer: string;
  /** SHL_OIDC_AUDIENCE: tokens must carry this `aud`. */
  audience: string;
  clock: Clock;
  /** The fetch for the discovery document and the JWKS (default: the global one). */
  fetch?: typeof fetch;
  /**
   * After a JWKS fetch, how long an unknown `kid` waits before the JWKS is fetched again, in
   * milliseconds (default 30,000, so that tokens with made-up `kid`s cannot make us flood the issuer).
   */
  jwksCooldownMs?: number;
  /** How long to wait for the issuer's discovery document or JWKS, in milliseconds (default 5,000). */
  timeoutMs?: number;
}

export type OidcVerifier = (token: string) => Promise<OidcIdentity>;

/**
 * RFC 7518 asymmetric signatures only: `none` would accept anyone's token, and an HMAC (HS*) would make
 * the issuer's public key (or any shared secret) a signing key.
 */
const ALGORITHMS = ['RS256', 'ES256'];
/** Clock skew allowed between the issuer and us when checking `exp` and `nbf`, in seconds. */
const CLOCK_TOLERANCE_SECONDS = 30;

const unauthorized = (why: string, cause?: unknown) =>
  new ServerError(
    'SHL_UNAUTHORIZED',
    `the bearer token was refused: ${why}`,
    cause === undefined ? {} : { cause },
  );

/** A JWT in compact form: three base64url parts (the second may not be empty). */
export const looksLikeJwt = (token: string): boolean =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);

/**
 * Verifies access tokens of one issuer (issue 14): signature (RS256 or ES256) with a key of the issuer's
 * JWKS (found through its discovery document, cached, fetched again on an unknown `kid`), `iss`, `aud`,
 * `exp` (required) and `nbf` against the clock, and a `sub`. The discovery document is read at the first
 * token and kept once it was read; a failure is kept for `DISCOVERY_RETRY_MS` (tokens meanwhile get the
 * same 503 without a request to the issuer), then the next token tries again.
 * @throws {ServerError} `SHL_UNAUTHORIZED` (401) for a token that does not check out; `SHL_UNAVAILABLE`
 *   (503) when the issuer's discovery document or JWKS cannot be had
 */
/** Milliseconds a failed discovery is answered from memory (503) before the issuer is asked again. */
export const DISCOVERY_RETRY_MS = 5_000;

export const createOidcVerifier = (options: OidcVerifierOptions): OidcVerifier => {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 5_000;
  let keys: Promise<JWTVerifyGetKey> | undefined;
  let failure: { at: number; error: unknown } | undefined;

  const remoteKeys = (): Promise<JWTVerifyGetKey> => {
    // An issuer that just failed is not asked again for a while: every token would otherwise make its
    // own discovery request while the issuer is down, and nothing bounds how many tokens come.
    if (failure !== undefined && options.clock.now() - failure.at < DISCOVERY_RETRY_MS) {
      return Promise.reject(failure.error);
    }
    keys ??= discoverJwksUri(options.issuer, { fetch: doFetch, timeoutMs }).then((jwksUri) => {
      const jwks = createRemoteJWKSet(jwksUri, {
        timeoutDuration: timeoutMs,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        [customFetch]: doFetch,
      });
      // Not finding the token's key is the token's fault (401); not getting the key set is the issuer's (503).
      return async (header, token) => {
        try {
          return await jwks(header, token);
        } catch (error) {
          if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
            throw error;
          }
          throw new ServerError(
            'SHL_UNAVAILABLE',
            'the identity provider (SHL_OIDC_ISSUER) did not give its keys',
            {
              cause: error,
            },
          );
        }
      };
    });
    keys.then(
      () => {
        failure = undefined;
      },
      (error: unknown) => {
        keys = undefined;
        failure = { at: options.clock.now(), error };
      },
    );
    return keys;
  };

  return async (token) => {
    const getKey = await remoteKeys();
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(options.clock.now()),
      });
      const subject = payload.sub ?? '';
      if (subject === '') throw unauthorized('no sub');
      const { patient } = payload as { patient?: unknown };
      return { subject, patient: typeof patient === 'string' ? patient : undefined };
    } catch (error) {
      if (error instanceof ServerError) throw error;
      if (error instanceof errors.JOSEError) throw unauthorized(error.code, error);
      throw unauthorized('not a JWT', error);
    }
  };
};
