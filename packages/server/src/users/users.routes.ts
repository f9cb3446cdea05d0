import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { principalOf, requireAdmin } from '../auth/principal.js';
import { managementRoute } from '../http/management-route.js';
import { createUser, deleteUser, listUsers, type UserDeps, updateUser } from './users.service.js';

export interface UserRouteOptions {
  deps: UserDeps;
  authenticate: preHandlerAsyncHookHandler;
}

/** Accounts: list, create, change (role, password, disabled), delete. Admins only. */
export const usersRoutes: FastifyPluginAsyncTypebox<UserRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  app.addHook('onRequest', authenticate);
  app.addHook('onRequest', requireAdmin);

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.listUsers),
    handler: async () => ({ users: await listUsers(deps.db) }),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.createUser),
    handler: async (request, reply) =>
      reply.code(201).send(await createUser(deps, principalOf(request).actor, request.body)),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.updateUser),
    handler: async (request) => updateUser(deps, principalOf(request).actor, request.params.id, request.body),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.deleteUser),
    handler: async (request, reply) => {
      await deleteUser(deps, principalOf(request).actor, request.params.id);
      return reply.code(204).send(null);
    },
  });
};
