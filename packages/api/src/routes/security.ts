/**
 * How a management caller proves who it is. The names are the OpenAPI security scheme names
 * (`components.securitySchemes`). A bearer API key has its scopes; a link's management token reaches that
 * link only; a token of the identity provider (SHL_OIDC_ISSUER) acts for its subject's own links; a
 * session has its account's role.
 */
export const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      "SHL_API_KEY; an API key from POST /api/keys (with its scopes); a link's managementToken (that link only); or an access token (JWT) of SHL_OIDC_ISSUER (its subject's own links)",
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'shl_session',
    description:
      'the cookie set by POST /api/session; state-changing requests also send its CSRF token as x-csrf-token',
  },
} as const;

/** Every management route but sign-in: a bearer API key, or a session cookie. */
export const MANAGEMENT_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
