import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MANAGEMENT_ROUTES } from '@shlkit/api';
import { isDatabaseUnavailable } from '../db/database-faults.js';
import { ServerError } from '../errors.js';
import { managementRoute } from '../http/management-route.js';
import { findLink } from '../links/links.repository.js';
import type { ManagementRouteOptions } from '../links/links.routes.js';
import { linkReachHook, requireLinkReach } from '../owners/link-reach.js';
import { principalOf } from '../auth/principal.js';
import { lastAccessId, listAccesses } from './access-log.repository.js';
import { type AccessStreamOptions, DEFAULT_ACCESS_STREAM_OPTIONS, streamAccesses } from './access-stream.js';
import { setSecurityHeaders } from '../http/security-headers.js';

export interface AccessLogRouteOptions extends ManagementRouteOptions {
  /** The live stream's poll and heartbeat intervals (tests shorten them). */
  stream?: AccessStreamOptions;
}

/** The access log of one link: pages, newest first, and a live stream. */
export const accessLogRoutes: FastifyPluginAsyncTypebox<AccessLogRouteOptions> = async (
  app,
  { deps, authenticate, stream = DEFAULT_ACCESS_STREAM_OPTIONS },
) => {
  const requireLink = async (id: string): Promise<void> => {
    if ((await findLink(deps.db, id, new Date(deps.clock.now()))) === undefined) {
      throw new ServerError('SHL_NOT_FOUND', 'no link with this id');
    }
  };
  // Open streams end when the server closes, so that closing does not wait for their clients.
  const openStreams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of openStreams) end();
  });

  // onRequest, before the body is read: a caller without credentials gets 401 without making us parse it.
  app.addHook('onRequest', authenticate);
  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.listAccesses),
    preHandler: linkReachHook(deps.db, 'read'),
    handler: async (request) => {
      await requireLink(request.params.id);
      const limit = request.query.limit ?? 100;
      const accesses = await listAccesses(deps.db, request.params.id, {
        limit,
        beforeId: request.query.cursor === undefined ? undefined : Number(request.query.cursor),
      });
      const last = accesses.at(-1);
      return { accesses, nextCursor: accesses.length === limit && last !== undefined ? last.id : null };
    },
  });

  app.route({
    ...managementRoute(MANAGEMENT_ROUTES.streamAccesses),
    preHandler: linkReachHook(deps.db, 'read'),
    handler: async (request, reply) => {
      const linkId = request.params.id;
      await requireLink(linkId);
      const lastEventId = request.headers['last-event-id'];
      const resumeFrom =
        typeof lastEventId === 'string' && /^[0-9]{1,18}$/.test(lastEventId)
          ? lastEventId
          : request.query.after;
      const afterId = resumeFrom === undefined ? await lastAccessId(deps.db, linkId) : Number(resumeFrom);
      // The answer is written by hand from here on: Fastify would wait for a body that never ends.
      reply.hijack();
      // No onSend hook runs for a hijacked reply: the security headers are set here and written by hand.
      setSecurityHeaders(request, reply);
      reply.raw.writeHead(200, {
        ...(reply.getHeaders() as OutgoingHttpHeaders),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // Proxies such as nginx would otherwise buffer the events.
        'x-accel-buffering': 'no',
      });
      // How long an EventSource waits before reconnecting when the stream ends.
      reply.raw.write('retry: 2000\n\n');
      // The credentials that opened the stream are asked again while it runs; a database fault is not
      // a revocation (the stream goes on, the next check decides), anything else refused ends it.
      const stillAllowed = async (): Promise<boolean> => {
        try {
          await authenticate.call(app, request, reply);
          await requireLinkReach(deps.db, principalOf(request), linkId, 'read');
          return true;
        } catch (error) {
          return (
            isDatabaseUnavailable(error) || (error instanceof ServerError && error.code === 'SHL_UNAVAILABLE')
          );
        }
      };
      const end = streamAccesses(deps.db, linkId, afterId, reply.raw, stream, stillAllowed);
      openStreams.add(end);
      reply.raw.on('close', () => openStreams.delete(end));
    },
  });
};
