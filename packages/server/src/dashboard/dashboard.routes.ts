import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { managementRoute } from '../http/management-route.js';
import { countLinks, listRecentAccesses } from './dashboard.repository.js';

const DEFAULT_RECENT = 20;

/**
 * `GET /api/dashboard`: link counts and the newest accesses across all links. Every role reads it (an
 * operator manages links); a read, so no CSRF token.
 */
export const dashboardRoutes: FastifyPluginAsyncTypebox<{
  db: Database;
  clock: Clock;
  authenticate: preHandlerAsyncHookHandler;
}> = async (app, { db, clock, authenticate }) => {
  app.addHook('onRequest', authenticate);
  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.getDashboard),
    handler: async (request) => ({
      counts: await countLinks(db, new Date(clock.now())),
      recentAccesses: await listRecentAccesses(db, request.query.recent ?? DEFAULT_RECENT),
    }),
  });
};
