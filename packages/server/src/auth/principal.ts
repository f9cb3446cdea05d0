import type { ApiKeyScope, Role } from '@shlkit/api';
import type { FastifyRequest } from 'fastify';
import { ServerError } from '../errors.js';

/**
 * Who a management request comes from, as `authenticate` found it. `actor` is the acting subject: what the
 * audit trail records for every change, and the `owner` of the links it creates. `scopes` say what it may
 * do (see `ApiKeyScopeSchema` in `@shlkit/api`); `owners/link-reach.ts` turns them into the links it
 * reaches.
 * - `api-key`: SHL_API_KEY (actor `SHL_API_KEY`, scope `admin`) or a stored key (actor `key:<id>`, its
 *   scopes);
 * - `admin-user`: a sign-in session; an `admin` account has scope `admin`, an `operator` `links:manage`;
 * - `oidc`: an access token of SHL_OIDC_ISSUER (actor `oidc:<sub>`, scope `links:create`: its own links
 *   only), with its SMART `patient` claim when it has one, and the token itself (forwarded to the FHIR
 *   server when FHIR_FORWARD_USER_TOKEN is set);
 * - `management-token`: a link's management token (actor `link:<id>`); it reaches that one link only.
 */
export type Principal =
  | { kind: 'api-key'; actor: string; scopes: ReadonlySet<ApiKeyScope> }
  | {
      kind: 'admin-user';
      actor: string;
      scopes: ReadonlySet<ApiKeyScope>;
      role: Role;
      userId: string;
      tokenHash: string;
      csrfToken: string;
    }
  | {
      kind: 'oidc';
      actor: string;
      scopes: ReadonlySet<ApiKeyScope>;
      subject: string;
      patient: string | undefined;
      token: string;
    }
  | { kind: 'management-token'; actor: string; scopes: ReadonlySet<ApiKeyScope>; linkId: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate`; null before it ran and on routes without it. */
    principal: Principal | null;
  }
}

/** The scopes of an account's role: an operator manages every link, an admin everything. */
export const scopesOfRole = (role: Role): ReadonlySet<ApiKeyScope> =>
  new Set<ApiKeyScope>(role === 'admin' ? ['admin'] : ['links:manage']);

/** The principal `authenticate` set; a route that reads it without that hook is a bug. */
export const principalOf = (request: FastifyRequest): Principal => {
  if (request.principal === null) throw new ServerError('SHL_INTERNAL', 'no authenticate hook on this route');
  return request.principal;
};

/**
 * onRequest hook after `authenticate`: only principals with scope `admin` pass (admin accounts, admin API
 * keys, SHL_API_KEY).
 * @throws {ServerError} `SHL_FORBIDDEN` (403) for every other principal
 */
export const requireAdmin = async (request: FastifyRequest): Promise<void> => {
  const principal = principalOf(request);
  if (!principal.scopes.has('admin')) {
    throw new ServerError(
      'SHL_FORBIDDEN',
      principal.kind === 'admin-user'
        ? 'this needs an admin account; operators manage links only'
        : 'this needs the admin scope',
    );
  }
};
