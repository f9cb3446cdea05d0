import type { Role } from '@shlkit/api';
import type { FastifyRequest } from 'fastify';
import { ServerError } from '../errors.js';

/**
 * Who a management request comes from. An API key has full rights (`admin`); a session has its account's
 * role. `actor` is what the audit trail records.
 */
export type Principal =
  | { kind: 'key'; actor: string; role: 'admin' }
  | { kind: 'session'; actor: string; role: Role; userId: string; tokenHash: string; csrfToken: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate`; null before it ran and on routes without it. */
    principal: Principal | null;
  }
}

/** The principal `authenticate` set; a route that reads it without that hook is a bug. */
export const principalOf = (request: FastifyRequest): Principal => {
  if (request.principal === null) throw new ServerError('SHL_INTERNAL', 'no authenticate hook on this route');
  return request.principal;
};

/** onRequest hook after `authenticate`: only admins (and API keys) pass; operators get 403. */
export const requireAdmin = async (request: FastifyRequest): Promise<void> => {
  if (principalOf(request).role !== 'admin') {
    throw new ServerError('SHL_FORBIDDEN', 'this needs an admin account; operators manage links only');
  }
};
