import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import { recordAudit } from '../audit/record-audit.js';
import { ServerError } from '../errors.js';
import { managementRoute } from '../http/management-route.js';
import type { ManagementRouteOptions } from '../links/links.routes.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { principalOf, requireAdmin } from './principal.js';

/** API keys: create (the token is shown once), list, revoke. Principals with scope `admin` only. */
export const apiKeysRoutes: FastifyPluginAsyncTypebox<ManagementRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);
  app.addHook('onRequest', requireAdmin);

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.createApiKey),
    handler: async (request, reply) => {
      const now = new Date(deps.clock.now());
      const created = await deps.db.transaction().execute(async (trx) => {
        const key = await createApiKey(trx, request.body, { random: deps.random, now });
        await recordAudit(trx, {
          at: now,
          actor: principalOf(request).actor,
          action: 'key.created',
          details: { keyId: key.id, name: key.name, scopes: key.scopes },
        });
        return key;
      });
      return reply.code(201).send(created);
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.listApiKeys),
    handler: async () => ({ keys: await listApiKeys(deps.db) }),
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.revokeApiKey),
    handler: async (request, reply) => {
      const now = new Date(deps.clock.now());
      await deps.db.transaction().execute(async (trx) => {
        if (!(await revokeApiKey(trx, request.params.id, now))) {
          throw new ServerError('SHL_NOT_FOUND', 'no live API key with this id');
        }
        await recordAudit(trx, {
          at: now,
          actor: principalOf(request).actor,
          action: 'key.revoked',
          details: { keyId: request.params.id },
        });
      });
      return reply.code(204).send(null);
    },
  });
};
