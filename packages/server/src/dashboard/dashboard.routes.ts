import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { principalOf } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';
import { managementRoute } from '../http/management-route.js';
import { seesEveryLink } from '../owners/link-reach.js';
import { countLinks, listRecentAccesses } from './dashboard.repository.js';

const DEFAULT_RECENT = 20;

/**
 * `GET /api/dashboard`: link counts and the newest accesses across all links (labels and recipient names
 * included). Read by those who read every link: every signed-in role (an operator manages links) and API
 * keys with `admin`, `links:manage` or `links:read`; a caller that reaches only its own links (a patient's
 * token, a `links:create` key, a management token) gets 403 `SHL_FORBIDDEN`, as for the audit trail. A
 * read, so no CSRF token.
 */
export const dashboardRoutes: FastifyPluginAsyncTypebox<{
  db: Database;
  clock: Clock;
  authenticate: preHandlerAsyncHookHandler;
}> = async (app, { db, clock, authenticate }) => {
  app.addHook('onRequest', authenticate);
  app.addHook('onRequest', async (request) => {
    if (!seesEveryLink(principalOf(request))) {
      throw new ServerError(
        'SHL_FORBIDDEN',
        'the dashboard tells of every link: it is for those who read them all',
      );
    }
  });
  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.getDashboard),
    handler: async (request) => ({
      counts: await countLinks(db, new Date(clock.now())),
      recentAccesses: await listRecentAccesses(db, request.query.recent ?? DEFAULT_RECENT),
    }),
  });
};
