import { type FastifyPluginAsyncTypebox, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { errorAnswers } from '@shlkit/api';
import { isShlError, MANIFEST_REQUEST_LIMITS, parseManifestRequest, recipientProblem } from '@shlkit/core';
import type { FastifyReply, FastifySchemaCompiler } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { publicErrorAnswer, ServerError } from '../errors.js';
import { answerDirectRequest, answerLocationRequest } from '../files/file.service.js';
import { clientGoneOf } from '../http/client-connection.js';
import { answerPreflight, setPublicCorsHeaders } from '../http/cors.js';
import type { LinkDeps } from '../links/link-deps.js';
import { DEFAULT_HOLD_OPTIONS } from '../passcodes/hold-attempt.js';
import type { RateLimiter } from '../rate-limits/rate-limiter.js';
import { answerManifestRequest } from './manifest.service.js';
import { ManifestSchema, manifestBytes } from './manifest-bytes.js';
import { NOT_FOUND, sendUniformNotFound } from './uniform-not-found.js';

/**
 * The manifest request body as OpenAPI shows it. It documents; it does not validate: core's
 * `parseManifestRequest` does (see `manifestRequestValidator`).
 */
const ManifestRequestBody = Type.Object(
  {
    recipient: Type.String({
      minLength: 1,
      maxLength: MANIFEST_REQUEST_LIMITS.recipientMaxLength,
      description: 'who is asking; shown in the access log. Not blank, no control characters.',
    }),
    passcode: Type.Optional(Type.String({ maxLength: MANIFEST_REQUEST_LIMITS.passcodeMaxLength })),
    embeddedLengthMax: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: true },
);

/**
 * Params and querystrings of the public endpoints: every field is a string, as it arrives in the URL. They
 * are checked as they are, and only a value that fails goes through TypeBox's validator (which converts
 * first, then gives the 400 its errors). Why: its conversion pass ran on every request and cost more than
 * the check itself on the busiest path (about 9 µs of 250 per manifest POST in a CPU profile), while
 * for all-string schemas it can change nothing that passes.
 */
const stringsValidator: FastifySchemaCompiler<unknown> = (route) => {
  const fields = Object.values(
    (route.schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {},
  );
  if (fields.some((field) => field.type !== 'string'))
    throw new Error(
      `${route.method} ${route.url} ${route.httpPart}: the public validator takes string fields only`,
    );
  const check = Compile(route.schema as TSchema);
  const full = TypeBoxValidatorCompiler(route as Parameters<typeof TypeBoxValidatorCompiler>[0]);
  return (value: unknown) => (check.Check(value) ? { value } : full(value));
};

/**
 * The manifest request body is checked by core's `parseManifestRequest`, the one parser that receivers
 * built on core use too, so the server and they cannot drift apart. Its ShlError
 * (`SHL_INVALID_MANIFEST_REQUEST`, with the field) becomes the 400; what it returns replaces the body,
 * unknown fields dropped. Params keep their TypeBox check.
 */
const manifestRequestValidator: FastifySchemaCompiler<unknown> = (route) => {
  if (route.httpPart !== 'body') return stringsValidator(route);
  return (body: unknown) => {
    try {
      return { value: parseManifestRequest(body) };
    } catch (error) {
      if (isShlError(error)) return { error };
      throw error;
    }
  };
};

// The answer is sent as bytes (manifest-bytes.ts); the document still describes the manifest.
const ManifestAnswerSchema = Type.Unsafe<Buffer>(ManifestSchema);

const PasscodeAnswer = Type.Object({
  remainingAttempts: Type.Integer(),
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

const MANIFEST_REQUEST_BODY_LIMIT = 64 * 1024;

/**
 * Public ids are not pattern-checked: SHL answers every link that is not active, an id that cannot exist
 * included, with the same 404, rather than telling malformed ids apart with a 400.
 */
const PublicLinkParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

const passcodeOutcome = (code: 'SHL_PASSCODE_REQUIRED' | 'SHL_WRONG_PASSCODE') =>
  code === 'SHL_PASSCODE_REQUIRED' ? ('passcode-required' as const) : ('wrong-passcode' as const);

// The answer is sent as bytes (files/jwe-bytes.ts); the document still describes it as a string.
const JoseSchema = Type.Unsafe<Buffer>(Type.String({ description: 'the compact JWE (application/jose)' }));

/**
 * The public SHL endpoints (no authentication, CORS for any origin): manifest `POST <url>`, direct file
 * `GET <url>?recipient=` for `U` links, and `location` file URLs. Every inactive state is the same 404.
 * Every request but a CORS preflight counts against its client address's `public` budget (one statement,
 * before any other work); over it, the answer is 429 `SHL_RATE_LIMITED` with `Retry-After`, which SHL
 * receivers already honour for polling.
 */
export const publicRoutes: FastifyPluginAsyncTypebox<{
  deps: LinkDeps;
  rateLimiter: RateLimiter;
  /** SHL_NOT_FOUND_FLOOR_MS: see uniform-not-found.ts. */
  notFoundFloorMs: number;
}> = async (app, { deps, rateLimiter, notFoundFloorMs }) => {
  const notFound = (reply: FastifyReply) => sendUniformNotFound(reply, notFoundFloorMs);
  app.setValidatorCompiler(stringsValidator);
  // CORS first, so that a browser viewer can read a 429 and its Retry-After too.
  app.addHook('onRequest', async (_request, reply) => setPublicCorsHeaders(reply));
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'OPTIONS') await rateLimiter.hit({ budget: 'public', client: request.ip });
  });
  // An id with U+0000 cannot name a link (and PostgreSQL text cannot hold it): the uniform 404 at once.
  app.addHook('preValidation', async (request, reply) => {
    const params = request.params as Record<string, unknown> | undefined;
    const impossible = Object.values(params ?? {}).some(
      (value) => typeof value === 'string' && value.includes('\u0000'),
    );
    if (impossible) return reply.code(NOT_FOUND.status).send(NOT_FOUND.body);
  });

  const preflight = {
    schema: { hide: true, params: Type.Object({ id: Type.String(), fileId: Type.Optional(Type.String()) }) },
  };
  app.options('/shl/:id', preflight, async (_request, reply) => answerPreflight(reply));
  app.options('/shl/:id/files/:fileId', preflight, async (_request, reply) => answerPreflight(reply));

  app.post(
    '/shl/:id',
    {
      // A manifest request is a few hundred bytes; nobody gets to make us parse megabytes here.
      bodyLimit: MANIFEST_REQUEST_BODY_LIMIT,
      validatorCompiler: manifestRequestValidator,
      schema: {
        tags: ['SMART Health Links (public)'],
        summary: 'Manifest request (SHL)',
        params: PublicLinkParams,
        body: ManifestRequestBody,
        response: {
          200: ManifestAnswerSchema,
          401: PasscodeAnswer,
          ...errorAnswers(400, 404, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      // A passcode guess may wait for a free attempt (passcodes/hold-attempt.ts): it stops waiting when
      // the client's connection closes. The response's 'close' comes when the socket goes before an
      // answer (or after the answer is sent, when aborting changes nothing). Only a request that carries
      // a passcode can wait, so only it pays for the listener and the AbortController.
      const clientGone = request.body.passcode === undefined ? undefined : new AbortController();
      const abort = () => clientGone?.abort();
      if (clientGone !== undefined) reply.raw.once('close', abort);
      let answer: Awaited<ReturnType<typeof answerManifestRequest>>;
      try {
        answer = await answerManifestRequest(deps, request.params.id, request.body, DEFAULT_HOLD_OPTIONS, {
          signal: clientGone?.signal,
          gone: clientGoneOf(request),
        });
      } finally {
        if (clientGone !== undefined) reply.raw.off('close', abort);
      }
      deps.metrics?.manifestAnswered(
        answer.kind === 'manifest'
          ? 'ok'
          : answer.kind === 'passcode'
            ? passcodeOutcome(answer.code)
            : answer.kind,
      );
      if (answer.kind === 'not-found') return notFound(reply);
      if (answer.kind === 'rate-limited') {
        const limited = publicErrorAnswer(
          'SHL_RATE_LIMITED',
          `polled too soon: ask again in ${answer.retryAfter} s`,
        );
        return reply.code(limited.status).header('retry-after', String(answer.retryAfter)).send(limited.body);
      }
      if (answer.kind === 'passcode') {
        const message =
          answer.code === 'SHL_PASSCODE_REQUIRED' ? 'this link needs a passcode' : 'wrong passcode';
        const denied = publicErrorAnswer(answer.code, message);
        return reply
          .code(denied.status)
          .send({ remainingAttempts: answer.remainingAttempts, ...denied.body });
      }
      // SHL: a manifest of an L link may carry Retry-After, the least wait before the next poll.
      if (answer.retryAfter !== undefined) reply.header('retry-after', String(answer.retryAfter));
      return reply
        .header('cache-control', 'no-store')
        .type('application/json; charset=utf-8')
        .send(manifestBytes(answer.manifest));
    },
  );

  app.get(
    '/shl/:id',
    {
      // No automatic HEAD: it would run this handler and log a download that never happened.
      exposeHeadRoute: false,
      schema: {
        tags: ['SMART Health Links (public)'],
        summary: 'Direct file of a U link (SHL)',
        params: PublicLinkParams,
        querystring: Type.Object({
          recipient: Type.String({
            minLength: 1,
            maxLength: MANIFEST_REQUEST_LIMITS.recipientMaxLength,
            description: 'who is asking; shown in the access log. Not blank, no control characters.',
          }),
        }),
        response: { 200: JoseSchema, ...errorAnswers(400, 404) },
      },
    },
    async (request, reply) => {
      // The same recipient rule as the manifest request's, from core.
      const problem = recipientProblem(request.query.recipient);
      if (problem !== undefined)
        throw new ServerError('SHL_VALIDATION_FAILED', problem, { field: 'recipient' });
      const answer = await answerDirectRequest(
        deps,
        { linkId: request.params.id, recipient: request.query.recipient },
        { gone: clientGoneOf(request) },
      );
      if (answer === undefined) return notFound(reply);
      return reply.type('application/jose').header('cache-control', 'no-store').send(answer.jwe);
    },
  );

  app.get(
    '/shl/:id/files/:fileId',
    {
      exposeHeadRoute: false,
      schema: {
        tags: ['SMART Health Links (public)'],
        summary: 'A file behind a manifest `location` URL (valid at most one hour)',
        params: Type.Object({
          id: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
          fileId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
        }),
        querystring: Type.Object({ ticket: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) }),
        response: { 200: JoseSchema, ...errorAnswers(400, 404) },
      },
    },
    async (request, reply) => {
      const answer = await answerLocationRequest(
        deps,
        { linkId: request.params.id, fileId: request.params.fileId, ticket: request.query.ticket },
        { gone: clientGoneOf(request) },
      );
      if (answer === undefined) return notFound(reply);
      return reply.type('application/jose').header('cache-control', 'no-store').send(answer.jwe);
    },
  );
};
