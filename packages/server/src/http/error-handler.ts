import { isShlError } from '@shlkit/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { errorBody, isServerError } from '../errors.js';

/**
 * One place turns every error into the JSON error body. Our own errors carry their code and the status
 * from the table in errors.ts; Fastify's own 4xx (bad JSON, wrong media type, body too large, schema
 * validation) get codes of ours; anything else is a 500 whose details stay in the log.
 */
export const installErrorHandling = (app: FastifyInstance): void => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isServerError(error)) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      return reply.code(error.status).send(errorBody(error.code, error.message, error.field));
    }
    if (isShlError(error)) {
      return reply.code(400).send(errorBody(error.code, error.message, error.field));
    }
    if (error.validation !== undefined) {
      const first = error.validation[0];
      const field = first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') || undefined;
      const message = `${error.validationContext ?? 'request'}${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}`;
      return reply.code(400).send(errorBody('SHL_VALIDATION_FAILED', message, field));
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.code(413).send(errorBody('SHL_BODY_TOO_LARGE', error.message));
    if (status === 415) return reply.code(415).send(errorBody('SHL_UNSUPPORTED_MEDIA_TYPE', error.message));
    if (status >= 400 && status < 500)
      return reply.code(status).send(errorBody('SHL_INVALID_JSON', error.message));
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('SHL_INTERNAL', 'internal server error'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('SHL_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
};
