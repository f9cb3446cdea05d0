import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { recordAudit } from '../audit/record-audit.js';
import { principalOf } from '../auth/principal.js';
import { ServerError } from '../errors.js';
import { managementRoute } from '../http/management-route.js';
import { writeSessionCookie } from './session-cookie.js';
import { endSession } from './session-store.js';
import { type SignInDeps, signIn } from './sign-in.js';

export interface SessionRouteOptions {
  deps: SignInDeps;
  authenticate: preHandlerAsyncHookHandler;
  /** Sets `Secure` on the cookie: PUBLIC_BASE_URL is https. */
  secureCookie: () => boolean;
}

const needsSession = () =>
  new ServerError('SHL_UNAUTHORIZED', 'this is about a sign-in session; a bearer token has none');

/** Sign in, who am I, sign out. */
export const sessionRoutes: FastifyPluginAsyncTypebox<SessionRouteOptions> = async (
  app,
  { deps, authenticate, secureCookie },
) => {
  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.signIn),
    handler: async (request, reply) => {
      const { session, token } = await signIn(deps, request.body, request.ip);
      writeSessionCookie(reply, token, secureCookie());
      return session;
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.getSession),
    onRequest: authenticate,
    handler: async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'admin-user') throw needsSession();
      return { user: { username: principal.actor, role: principal.role }, csrfToken: principal.csrfToken };
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.signOut),
    onRequest: authenticate,
    handler: async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'admin-user') throw needsSession();
      await deps.db.transaction().execute(async (trx) => {
        await endSession(trx, principal.tokenHash);
        await recordAudit(trx, {
          at: new Date(deps.clock.now()),
          actor: principal.actor,
          action: 'session.signed-out',
        });
      });
      writeSessionCookie(reply, null, secureCookie());
      return reply.code(204).send(null);
    },
  });
};
