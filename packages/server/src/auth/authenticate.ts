import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';
import type { RateLimiter } from '../rate-limits/rate-limiter.js';
import { readSessionCookie } from '../sessions/session-cookie.js';
import { findLiveSession, type SessionPolicy } from '../sessions/session-store.js';
import { looksLikeJwt, type OidcVerifier } from '../oidc/oidc-verifier.js';
import { findLinkOfManagementToken } from '../owners/management-tokens.js';
import { findApiKeyByToken, hashToken, matchesConfiguredKey } from './api-keys.js';
import { type Principal, scopesOfRole } from './principal.js';

export interface AuthDeps {
  db: Database;
  clock: Clock;
  configuredApiKey: string | undefined;
  sessions: SessionPolicy;
  /** Verifies access tokens of SHL_OIDC_ISSUER; undefined: bearer JWTs are refused. */
  oidc: OidcVerifier | undefined;
  /** Counts refused credentials per client address (the `authFailure` budget). */
  rateLimiter: RateLimiter;
}

const unauthorized = () =>
  new ServerError(
    'SHL_UNAUTHORIZED',
    'send Authorization: Bearer <API key, management token or access token>, or sign in (POST /api/session)',
  );

/**
 * The principal of a bearer token, told apart by its form: SHL_API_KEY (compared in constant time), an
 * API key (`shlk_`), a link's management token (`shlm_`), or a JWT of SHL_OIDC_ISSUER.
 * @throws {ServerError} `SHL_UNAUTHORIZED` for a token that is none of these; `SHL_UNAVAILABLE` when the
 *   identity provider cannot be reached to check a JWT
 */
const bearerPrincipal = async (
  deps: AuthDeps,
  token: string,
  now: Date,
  client: string,
): Promise<Principal> => {
  if (matchesConfiguredKey(token, deps.configuredApiKey)) {
    return { kind: 'api-key', actor: 'SHL_API_KEY', scopes: new Set(['admin']) };
  }
  const key = await findApiKeyByToken(deps.db, token, now);
  if (key !== undefined) return { kind: 'api-key', actor: `key:${key.id}`, scopes: new Set(key.scopes) };
  const linkId = await findLinkOfManagementToken(deps.db, token);
  if (linkId !== undefined) {
    return { kind: 'management-token', actor: `link:${linkId}`, scopes: new Set(), linkId };
  }
  if (deps.oidc !== undefined && looksLikeJwt(token)) {
    // A signature check (and maybe a fetch of the issuer's keys) costs more than the lookups above: an
    // address that has spent its refused-credentials budget is turned away before it.
    await deps.rateLimiter.check({ budget: 'authFailure', client });
    const identity = await deps.oidc(token);
    return {
      kind: 'oidc',
      actor: `oidc:${identity.subject}`,
      // A patient's token acts for its own links only: it creates them, and reaches nothing else.
      scopes: new Set(['links:create']),
      subject: identity.subject,
      patient: identity.patient,
      token,
    };
  }
  throw unauthorized();
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameToken = (sent: string, expected: string): boolean => {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * The management API's one gate, an onRequest hook that sets `request.principal`:
 * - `Authorization: Bearer <token>` with SHL_API_KEY, a live API key (its scopes), a link's management
 *   token or an access token of SHL_OIDC_ISSUER (see `bearerPrincipal`); no CSRF token (a browser never
 *   adds this header on its own, so another site cannot make it send one);
 * - else the session cookie of a live session: its account's role; a state-changing request must also
 *   send the session's CSRF token as `x-csrf-token` (403 SHL_CSRF), as the cookie goes with any request.
 * A hash and an indexed statement or two per request (a JWT: a signature check with a cached key): scrypt
 * runs only at sign-in. HTTP Basic is no longer
 * accepted (it ran scrypt on every request).
 *
 * A refused credential (a bearer token of any kind or a session cookie that opens nothing) counts against
 * the client address's `authFailure` budget; past it the answer is 429 `SHL_RATE_LIMITED` instead of 401.
 * An access token of SHL_OIDC_ISSUER is checked against that budget before its signature is. Requests
 * without credentials are not counted (the admin app asks `GET /api/session` before anyone signs in), nor
 * are accepted ones: a right key costs no extra statement.
 *
 * @throws ServerError `SHL_UNAUTHORIZED` (401), `SHL_RATE_LIMITED` (429), `SHL_CSRF` (403).
 */
export const createAuthenticate =
  (deps: AuthDeps) =>
  async (request: FastifyRequest): Promise<void> => {
    const refused = async (): Promise<never> => {
      await deps.rateLimiter.hit({ budget: 'authFailure', client: request.ip });
      throw unauthorized();
    };
    const now = new Date(deps.clock.now());
    const header = request.headers.authorization;
    if (header !== undefined) {
      const [scheme, value] = header.split(' ', 2);
      if (scheme?.toLowerCase() !== 'bearer' || value === undefined || value === '') return refused();
      try {
        request.principal = await bearerPrincipal(deps, value, now, request.ip);
      } catch (error) {
        // Any bearer that opens nothing (key, management token, access token) counts; a 503 or 429 does not.
        if (error instanceof ServerError && error.code === 'SHL_UNAUTHORIZED') return refused();
        throw error;
      }
      return;
    }
    const token = readSessionCookie(request);
    if (token === undefined) throw unauthorized();
    const session = await findLiveSession(deps.db, token, now, deps.sessions);
    if (session === undefined) return refused();
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) {
        throw new ServerError('SHL_CSRF', 'send the x-csrf-token header that POST /api/session answered');
      }
    }
    request.principal = {
      kind: 'admin-user',
      actor: session.username,
      scopes: scopesOfRole(session.role),
      role: session.role,
      userId: session.userId,
      tokenHash: hashToken(token),
      csrfToken: session.csrfToken,
    };
  };
