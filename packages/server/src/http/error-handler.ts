import type { IncomingMessage, ServerResponse } from 'node:http';
import { isShlkitError, isWireErrorCode } from '@shlkit/core';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/database-faults.js';
import { type ErrorAnswer, errorAnswer, ServerError } from '../errors.js';
import { answerClientError, FASTIFY_ERROR_CODES } from './framework-errors.js';
import { BASE_SECURITY_HEADERS, setSecurityHeaders } from './security-headers.js';

const internal = (): ErrorAnswer => errorAnswer('SHL_INTERNAL', 'internal server error');

/** A 503 `SHL_UNAVAILABLE` says when to ask again (RFC 9110 section 10.2.3, `Retry-After` in seconds). */
const withRetryAfter = (answer: ErrorAnswer): ErrorAnswer =>
  answer.body.error.code === 'SHL_UNAVAILABLE'
    ? { ...answer, headers: { ...answer.headers, 'retry-after': String(RETRY_AFTER_SECONDS) } }
    : answer;

/** The database is away or timed out (db/database-faults.ts): not a bug, and worth asking again. */
const unavailable = (): ErrorAnswer =>
  withRetryAfter(errorAnswer('SHL_UNAVAILABLE', 'the database is unavailable; try again shortly'));

/**
 * The field a schema error is about, dotted (`files.0.jwe`): the failing value's path, and for a missing
 * property its name (TypeBox says `requiredProperties`, Ajv `missingProperty`).
 */
const validationField = (path: string, params: unknown): string | undefined => {
  const { missingProperty, requiredProperties } = (params ?? {}) as Record<string, unknown>;
  const missing = Array.isArray(requiredProperties) ? requiredProperties[0] : missingProperty;
  const parts = path.split('/').filter((part) => part !== '');
  if (typeof missing === 'string') parts.push(missing);
  return parts.length === 0 ? undefined : parts.join('.');
};

/**
 * The answer to any error a request ran into, from the registry in `@shlkit/core`:
 * - our own errors (`ServerError`, a `ShlError` from core) carry their code and its status;
 * - Fastify's (bad JSON, wrong media type, body too large, schema validation...) get codes of ours;
 * - a database that is away or timed out (`isDatabaseUnavailable`) is a 503 `SHL_UNAVAILABLE` with
 *   `Retry-After`, whatever wrapped it;
 * - anything else, and any code the registry keeps `local`, is a 500 `SHL_INTERNAL` whose details stay in
 *   the log.
 */
export const answerError = (error: unknown, request: FastifyRequest): ErrorAnswer => {
  if (isDatabaseUnavailable(error)) {
    // Code and message only: a pg error can carry the statement's parameters in its detail.
    const { code, message } = error as { code?: unknown; message?: unknown };
    request.log.warn({ err: { code, message } }, 'database unavailable: answered 503');
    return unavailable();
  }
  if (isShlkitError(error)) {
    if (!isWireErrorCode(error.code)) {
      request.log.error({ err: error }, `${error.code} is not for the wire: answered as SHL_INTERNAL`);
      return internal();
    }
    const field = 'field' in error && typeof error.field === 'string' ? error.field : undefined;
    const answer = withRetryAfter(errorAnswer(error.code, error.message, field));
    if (answer.status >= 500 && error.code !== 'SHL_UNAVAILABLE')
      request.log.error({ err: error }, error.message);
    return answer;
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation !== undefined) {
    const first = fastifyError.validation[0];
    const path = first?.instancePath ?? '';
    const message = `${fastifyError.validationContext ?? 'request'}${path} ${first?.message ?? 'is invalid'}`;
    return errorAnswer('SHL_VALIDATION_FAILED', message, validationField(path, first?.params));
  }
  const message = error instanceof Error ? error.message : String(error);
  const known = typeof fastifyError.code === 'string' ? FASTIFY_ERROR_CODES[fastifyError.code] : undefined;
  if (known !== undefined) return errorAnswer(known, message);
  const status = fastifyError.statusCode ?? 500;
  // A 4xx we have no code for (a body stream that broke off, a future Fastify check): the request's fault.
  if (status >= 400 && status < 500) return errorAnswer('SHL_BAD_REQUEST', message);
  request.log.error({ err: error }, 'unhandled error');
  return internal();
};

const send = (reply: FastifyReply, answer: ErrorAnswer): FastifyReply =>
  reply
    .code(answer.status)
    .headers(answer.headers ?? {})
    .send(answer.body);

/**
 * Options for the Fastify constructor, so that errors raised before routing answer in our shape too:
 * bad URL encoding and over-long path parameters (`frameworkErrors`), requests Node's parser refuses
 * (`clientErrorHandler`), requests while closing (Fastify's own 503 is turned off; `installErrorHandling`
 * answers them) and requests without a Host header (Node's own empty 400 is turned off, likewise).
 */
export const errorHandlingOptions = {
  frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    setSecurityHeaders(request, reply);
    send(reply, answerError(error, request));
  },
  clientErrorHandler: answerClientError,
  return503OnClosing: false,
  http: { requireHostHeader: false },
} satisfies FastifyServerOptions & { http: object };

const expectationFailed = (_request: IncomingMessage, response: ServerResponse): void => {
  const json = JSON.stringify(
    errorAnswer('SHL_EXPECTATION_FAILED', 'this server supports no Expect header other than 100-continue')
      .body,
  );
  response.writeHead(417, {
    ...BASE_SECURITY_HEADERS,
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    connection: 'close',
  });
  response.end(json);
};

/**
 * One place turns every error into the JSON error body `{ "error": { "code", "message", "field"? } }`.
 * Call on the root instance before any route, with `errorHandlingOptions` given to the constructor.
 */
export const installErrorHandling = (app: FastifyInstance): void => {
  app.setErrorHandler((error, request, reply) => {
    // A 429 (rate limits) or 503 says when to come back.
    if (error instanceof ServerError && error.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(error.retryAfterSeconds));
    }
    return send(reply, answerError(error, request));
  });

  // No 405: Fastify routes by path and method together, so a known path with another method is a 404.
  app.setNotFoundHandler((request, reply) =>
    send(reply, errorAnswer('SHL_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    // Requests still arriving on open connections while the server closes.
    if (closing) {
      return send(
        reply.header('connection', 'close'),
        errorAnswer('SHL_SHUTTING_DOWN', 'the server is closing'),
      );
    }
    // RFC 9112 section 3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header.
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      return send(reply, errorAnswer('SHL_BAD_REQUEST', 'an HTTP/1.1 request needs a Host header'));
    }
    return undefined;
  });

  // Node answers an Expect header other than 100-continue itself, with an empty 417, unless listened for.
  app.server.on('checkExpectation', expectationFailed);
};
