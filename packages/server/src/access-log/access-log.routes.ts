import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ServerError } from '../errors.js';
import { errorResponses, LinkIdParams, MANAGEMENT_SECURITY } from '../http/common-schemas.js';
import { findLink } from '../links/links.repository.js';
import type { ManagementRouteOptions } from '../links/links.routes.js';
import { listAccesses } from './access-log.repository.js';

const AccessSchema = Type.Object({
  id: Type.String(),
  at: Type.String({ description: 'ISO 8601 time' }),
  recipient: Type.Union([Type.String(), Type.Null()]),
  path: Type.Union([Type.Literal('manifest'), Type.Literal('file'), Type.Literal('direct')]),
  outcome: Type.Union([
    Type.Literal('ok'),
    Type.Literal('wrong-passcode'),
    Type.Literal('passcode-required'),
    Type.Literal('inactive'),
    Type.Literal('rate-limited'),
  ]),
  fileId: Type.Union([Type.String(), Type.Null()]),
});

/** The access log of one link, newest first. */
export const accessLogRoutes: FastifyPluginAsyncTypebox<ManagementRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);
  app.get(
    '/api/links/:id/accesses',
    {
      schema: {
        tags: ['links'],
        summary: 'Access log: time, recipient, path (manifest/file/direct), outcome; newest first',
        security: MANAGEMENT_SECURITY,
        params: LinkIdParams,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
        }),
        response: {
          200: Type.Object({
            accesses: Type.Array(AccessSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      if ((await findLink(deps.db, request.params.id)) === undefined) {
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
  );
};
