import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ServerError } from '../errors.js';
import { errorResponses, MANAGEMENT_SECURITY } from '../http/common-schemas.js';
import type { ManagementRouteOptions } from '../links/links.routes.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';

const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});

/** API keys: create (the token is shown once), list, revoke. */
export const apiKeysRoutes: FastifyPluginAsyncTypebox<ManagementRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);
  const security = MANAGEMENT_SECURITY;

  app.post(
    '/api/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'Create an API key; the token is in this answer only',
        security,
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.String(),
            name: Type.String(),
            token: Type.String(),
            createdAt: Type.String(),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await createApiKey(deps.db, request.body, { random: deps.random, now: new Date(deps.clock.now()) }),
        ),
  );

  app.get(
    '/api/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'List API keys (never their tokens)',
        security,
        response: { 200: Type.Object({ keys: Type.Array(ApiKeySchema) }), ...errorResponses(401) },
      },
    },
    async () => ({ keys: await listApiKeys(deps.db) }),
  );

  app.delete(
    '/api/keys/:id',
    {
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key',
        security,
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      if (!(await revokeApiKey(deps.db, request.params.id, new Date(deps.clock.now())))) {
        throw new ServerError('SHL_NOT_FOUND', 'no live API key with this id');
      }
      return reply.code(204).send(null);
    },
  );
};
