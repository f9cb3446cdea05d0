import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import { ServerError } from '../errors.js';
import { managementRoute } from '../http/management-route.js';
import { findLink } from '../links/links.repository.js';
import type { ManagementRouteOptions } from '../links/links.routes.js';
import { listAccesses } from './access-log.repository.js';

/** The access log of one link, newest first. */
export const accessLogRoutes: FastifyPluginAsyncTypebox<ManagementRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);
  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.listAccesses),
    handler: async (request) => {
      if ((await findLink(deps.db, request.params.id, new Date(deps.clock.now()))) === undefined) {
        throw new ServerError('SHL_NOT_FOUND', 'no link with this id');
      }
      const limit = request.query.limit ?? 100;
      const accesses = await listAccesses(deps.db, request.params.id, {
        limit,
        beforeId: request.query.cursor === undefined ? undefined : Number(request.query.cursor),
      });
      const last = accesses.at(-1);
      return { accesses, nextCursor: accesses.length === limit && last !== undefined ? last.id : null };
    },
  });
};
