import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';
import type { RateLimiter } from '../rate-limits/rate-limiter.js';
import { readSessionCookie } from '../sessions/session-cookie.js';
import { findLiveSession, type SessionPolicy } from '../sessions/session-store.js';
import { findApiKeyByToken, hashToken, matchesConfiguredKey } from './api-keys.js';

export interface AuthDeps {
  db: Database;
  clock: Clock;
  configuredApiKey: string | undefined;
  sessions: SessionPolicy;
  rateLimiter: RateLimiter;
}

const unauthorized = () =>
  new ServerError('SHL_UNAUTHORIZED', 'send Authorization: Bearer <API key>, or sign in (POST /api/session)');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameToken = (sent: string, expected: string): boolean => {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * The management API's one gate, an onRequest hook that sets `request.principal`:
 * - `Authorization: Bearer <token>` with SHL_API_KEY or a live API key: full rights, no CSRF token (a
 *   browser never adds this header on its own, so another site cannot make it send one);
 * - else the session cookie of a live session: its account's role; a state-changing request must also
 *   send the session's CSRF token as `x-csrf-token` (403 SHL_CSRF), as the cookie goes with any request.
 * A hash and one indexed statement per request: scrypt runs only at sign-in. HTTP Basic is no longer
 * accepted (it ran scrypt on every request).
 *
 * A refused credential (a bearer token or a session cookie that opens nothing) counts against the client
 * address's `authFailure` budget; past it the answer is 429 `SHL_RATE_LIMITED` instead of 401. Requests
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
      if (matchesConfiguredKey(value, deps.configuredApiKey)) {
        request.principal = { kind: 'key', actor: 'SHL_API_KEY', role: 'admin' };
        return;
      }
      const keyId = await findApiKeyByToken(deps.db, value, now);
      if (keyId === undefined) return refused();
      request.principal = { kind: 'key', actor: `key:${keyId}`, role: 'admin' };
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
      kind: 'session',
      actor: session.username,
      role: session.role,
      userId: session.userId,
      tokenHash: hashToken(token),
      csrfToken: session.csrfToken,
    };
  };
