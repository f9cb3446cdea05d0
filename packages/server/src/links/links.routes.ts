import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, LinkIdParams, MANAGEMENT_SECURITY } from '../http/common-schemas.js';
import type { LinkDeps } from './link-deps.js';
import {
  ContentBody,
  CreateLinkBody,
  LinkListSchema,
  LinkSchema,
  ListLinksQuery,
  UpdateLinkBody,
} from './links.schemas.js';
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

const security = MANAGEMENT_SECURITY;

/** The management API for links: create, list, read, change, revoke, replace content. */
export const linksRoutes: FastifyPluginAsyncTypebox<ManagementRouteOptions> = async (
  app,
  { deps, authenticate },
) => {
  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);

  app.post(
    '/api/links',
    {
      schema: {
        tags: ['links'],
        summary: 'Share: create a SMART Health Link',
        security,
        body: CreateLinkBody,
        response: { 201: LinkSchema, ...errorResponses(400, 401, 409, 413, 415) },
      },
    },
    async (request, reply) => reply.code(201).send(await createLink(deps, request.body)),
  );

  app.get(
    '/api/links',
    {
      schema: {
        tags: ['links'],
        summary: 'List links, newest first',
        security,
        querystring: ListLinksQuery,
        response: { 200: LinkListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listLinkViews(deps, request.query),
  );

  app.get(
    '/api/links/:id',
    {
      schema: {
        tags: ['links'],
        summary: 'One link with its status, attempts and counts',
        security,
        params: LinkIdParams,
        response: { 200: LinkSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => getLink(deps, request.params.id),
  );

  app.patch(
    '/api/links/:id',
    {
      schema: {
        tags: ['links'],
        summary: 'Change label, expiry or passcode; re-arm attempts; deactivate or reactivate',
        security,
        params: LinkIdParams,
        body: UpdateLinkBody,
        response: { 200: LinkSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) => updateLinkSettings(deps, request.params.id, request.body),
  );

  app.delete(
    '/api/links/:id',
    {
      schema: {
        tags: ['links'],
        summary: 'Revoke for good: the encrypted files are purged and the link answers 404',
        security,
        params: LinkIdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await deleteLink(deps, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/links/:id/files',
    {
      schema: {
        tags: ['links'],
        summary: 'Replace the content of a long-term (L) link: same key, new IVs',
        security,
        params: LinkIdParams,
        body: ContentBody,
        response: { 200: LinkSchema, ...errorResponses(400, 401, 404, 409, 413) },
      },
    },
    async (request) => replaceLinkFiles(deps, request.params.id, request.body),
  );
};
