import type { FastifyReply } from 'fastify';

/**
 * CORS for the public SHL endpoints (protocol digest section 5): any origin may read, the preflight for
 * `content-type` is answered, and `Retry-After` is readable by browser viewers. Credentials are never
 * involved, so `*` is safe.
 */
export const setPublicCorsHeaders = (reply: FastifyReply): void => {
  reply.header('access-control-allow-origin', '*');
  reply.header('access-control-expose-headers', 'Retry-After');
};

export const answerPreflight = (reply: FastifyReply): FastifyReply =>
  reply
    .code(204)
    .header('access-control-allow-methods', 'GET, POST, OPTIONS')
    .header('access-control-allow-headers', 'content-type')
    .header('access-control-max-age', '86400')
    .send();
