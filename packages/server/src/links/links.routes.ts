import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { principalOf } from '../auth/principal.js';
import { managementRoute } from '../http/management-route.js';
import { createOnce } from '../idempotency/create-once.js';
import type { LinkDeps } from './link-deps.js';
import {
  createLink,
  deleteLink,
  getLink,
  listLinkViews,
  replaceLinkFiles,
  updateLinkSettings,
} from './links.service.js';

export interface ManagementRouteOptions {
  deps: LinkDeps;
  authenticate: preHandlerAsyncHookHandler;
}

/** The management API for links: create, list, read, change, revoke, replace content. */
export const linksRoutes: FastifyPluginAsyncTypebox<ManagementRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.createLink),
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const { link, replayed } = await createOnce(
        deps,
        { principal, key: request.headers['idempotency-key'], route: 'createLink', body: request.body },
        (inTransaction) => createLink(deps, request.body, { actor: principal.actor }, inTransaction),
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(link);
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.listLinks),
    handler: async (request) => listLinkViews(deps, request.query),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.getLink),
    handler: async (request) => getLink(deps, request.params.id),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.updateLink),
    handler: async (request) =>
      updateLinkSettings(deps, request.params.id, request.body, { actor: principalOf(request).actor }),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.deleteLink),
    handler: async (request, reply) => {
      await deleteLink(deps, request.params.id, { actor: principalOf(request).actor });
      return reply.code(204).send(null);
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.replaceLinkFiles),
    handler: async (request) =>
      replaceLinkFiles(deps, request.params.id, request.body, { actor: principalOf(request).actor }),
  });
};
