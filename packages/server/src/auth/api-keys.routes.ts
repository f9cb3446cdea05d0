import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import { ServerError } from '../errors.js';
import { managementRoute } from '../http/management-route.js';
import type { ManagementRouteOptions } from '../links/links.routes.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';

/** API keys: create (the token is shown once), list, revoke. */
export const apiKeysRoutes: FastifyPluginAsyncTypebox<ManagementRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.createApiKey),
    handler: async (request, reply) =>
      reply
        .code(201)
        .send(
          await createApiKey(deps.db, request.body, { random: deps.random, now: new Date(deps.clock.now()) }),
        ),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.listApiKeys),
    handler: async () => ({ keys: await listApiKeys(deps.db) }),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.revokeApiKey),
    handler: async (request, reply) => {
      if (!(await revokeApiKey(deps.db, request.params.id, new Date(deps.clock.now())))) {
        throw new ServerError('SHL_NOT_FOUND', 'no live API key with this id');
      }
      return reply.code(204).send(null);
    },
  });
};
