import type { FastifyInstance } from 'fastify';
import { FAVICON_ICO } from './favicon.js';

/** Where a person who types the server's address lands: the viewer, the one page meant for people. */
export const ROOT_REDIRECT = '/view/';

/**
 * `GET /` and `GET /favicon.ico`, which browsers ask for on their own: a redirect to the viewer and an
 * icon, rather than the API's JSON 404. Both are left out of the OpenAPI document (they are not API).
 */
export const registerSiteRoot = (app: FastifyInstance): void => {
  // 302, not 301: browsers cache a permanent redirect for good, and `/` may become a page of its own.
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect(ROOT_REDIRECT, 302));
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('image/x-icon')
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(FAVICON_ICO),
  );
};
