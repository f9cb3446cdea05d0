import { type Static, Type } from 'typebox';

/**
 * An `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header): 1 to 255 visible ASCII
 * characters, e.g. a UUID the client makes per create and sends again with every retry of it.
 */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7E]{1,255}$';

/** How long the server remembers a key, in hours. A retry later than this makes a new link. */
export const IDEMPOTENCY_KEY_HOURS = 24;

/**
 * The headers of the routes that create links. With an `Idempotency-Key`, a retry (same caller, same key,
 * same route and body) answers the link the first request made instead of making a second; the same key
 * with another request answers 422 `SHL_IDEMPOTENCY_KEY_REUSED`. Header names are lower case, as Fastify
 * and OpenAPI read them; other headers are allowed.
 */
export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: IDEMPOTENCY_KEY_PATTERN,
      description: `makes a retry safe: the same key, caller, route and body within ${IDEMPOTENCY_KEY_HOURS} hours answer the same link (1 to 255 visible ASCII characters, e.g. a UUID)`,
    }),
  ),
});

export type IdempotencyHeaders = Static<typeof IdempotencyHeadersSchema>;
