import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { principalOf } from '../auth/principal.js';
import { managementRoute } from '../http/management-route.js';
import { createOnce } from '../idempotency/create-once.js';
import { linkReachHook, listOwnerFilter, presentLink, requireCreate } from '../owners/link-reach.js';
import type { LinkDeps } from './link-deps.js';
import { createLink, deleteLink, getLink, replaceLinkFiles, updateLinkSettings } from './links.service.js';
import { listLinkViews } from './list-links.js';

export interface ManagementRouteOptions {
  deps: LinkDeps;
  authenticate: preHandlerAsyncHookHandler;
}

/**
 * The management API for links: create, list, read, change, revoke, replace content. Which links a
 * caller reaches is decided by owners/link-reach.ts: someone else's link answers 404 like an unknown one.
 */
export const linksRoutes: FastifyPluginAsyncTypebox<ManagementRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.createLink),
    onRequest: async (request) => requireCreate(principalOf(request)),
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const { link, replayed } = await createOnce(
        deps,
        { principal, key: request.headers['idempotency-key'], route: 'createLink', body: request.body },
        (inTransaction) => createLink(deps, request.body, { actor: principal.actor }, inTransaction),
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(presentLink(principal, link));
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.listLinks),
    handler: async (request) => {
      const principal = principalOf(request);
      const page = await listLinkViews(deps, { ...request.query, owner: listOwnerFilter(principal) });
      return { ...page, links: page.links.map((link) => presentLink(principal, link)) };
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.getLink),
    preHandler: linkReachHook(deps.db, 'read'),
    handler: async (request) => presentLink(principalOf(request), await getLink(deps, request.params.id)),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.updateLink),
    preHandler: linkReachHook(deps.db, 'change'),
    handler: async (request) => {
      const principal = principalOf(request);
      const updated = await updateLinkSettings(deps, request.params.id, request.body, {
        actor: principal.actor,
      });
      return presentLink(principal, updated);
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.deleteLink),
    preHandler: linkReachHook(deps.db, 'change'),
    handler: async (request, reply) => {
      await deleteLink(deps, request.params.id, { actor: principalOf(request).actor });
      return reply.code(204).send(null);
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.replaceLinkFiles),
    preHandler: linkReachHook(deps.db, 'replace-content'),
    handler: async (request) => {
      const principal = principalOf(request);
      const replaced = await replaceLinkFiles(deps, request.params.id, request.body, {
        actor: principal.actor,
      });
      return presentLink(principal, replaced);
    },
  });
};
