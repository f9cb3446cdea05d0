import { ServerError } from '../errors.js';

/**
 * Reads an issuer's discovery document, `<issuer>/.well-known/openid-configuration` (OpenID Connect
 * Discovery 1.0, section 4), and returns its `jwks_uri`.
 * @param issuer SHL_OIDC_ISSUER, without a trailing slash or with one
 * @param timeoutMs how long to wait for the whole answer, in milliseconds
 * @throws {ServerError} `SHL_UNAVAILABLE` (503) when the issuer cannot be reached, answers non-2xx or
 *   something that is not a discovery document of this issuer
 */
export const discoverJwksUri = async (
  issuer: string,
  options: { fetch: typeof fetch; timeoutMs: number },
): Promise<URL> => {
  const unavailable = (why: string, cause?: unknown) =>
    new ServerError(
      'SHL_UNAVAILABLE',
      `the identity provider (SHL_OIDC_ISSUER) ${why}`,
      cause === undefined ? {} : { cause },
    );
  // Discovery 4.1: the path is appended to the issuer, after removing a trailing slash.
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    const res = await options.fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!res.ok) throw unavailable(`answered HTTP ${res.status} for its discovery document`);
    document = await res.json();
  } catch (error) {
    if (error instanceof ServerError) throw error;
    throw unavailable('could not be reached for its discovery document', error);
  }
  const { issuer: stated, jwks_uri: jwksUri } = (document ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
  // Discovery 4.3: the issuer in the document SHALL be identical to the one it was fetched for.
  if (stated !== issuer)
    throw unavailable(`states another issuer (${String(stated)}) in its discovery document`);
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) {
    throw unavailable('has no jwks_uri in its discovery document');
  }
  return new URL(jwksUri);
};
