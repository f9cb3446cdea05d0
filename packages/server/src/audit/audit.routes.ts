import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { Database } from '../db/schema.js';
import { managementRoute } from '../http/management-route.js';
import { listAudit } from './audit.repository.js';

/** The audit trail, readable by every signed-in role and API key (operators see who did what to links). */
export const auditRoutes: FastifyPluginAsyncTypebox<{
  db: Database;
  authenticate: preHandlerAsyncHookHandler;
}> = async (app, { db, authenticate }) => {
  app.addHook('onRequest', authenticate);
  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.listAudit),
    handler: async (request) => listAudit(db, request.query),
  });
};
