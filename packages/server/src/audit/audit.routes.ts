import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { principalOf } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';
import { managementRoute } from '../http/management-route.js';
import { seesEveryLink } from '../owners/link-reach.js';
import { listAudit } from './audit.repository.js';

/**
 * The audit trail, readable by those who read every link: every signed-in role (operators see who did
 * what to links) and API keys with `admin`, `links:manage` or `links:read`. It tells of every link, so a
 * caller that reaches only its own links (a patient's token, a `links:create` key, a management token)
 * gets 403 `SHL_FORBIDDEN`.
 */
export const auditRoutes: FastifyPluginAsyncTypebox<{
  db: Database;
  authenticate: preHandlerAsyncHookHandler;
}> = async (app, { db, authenticate }) => {
  app.addHook('onRequest', authenticate);
  app.addHook('onRequest', async (request) => {
    if (!seesEveryLink(principalOf(request))) {
      throw new ServerError('SHL_FORBIDDEN', 'the audit trail is for those who read every link');
    }
  });
  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.listAudit),
    handler: async (request) => listAudit(db, request.query),
  });
};
