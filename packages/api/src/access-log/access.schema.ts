import { type Static, Type } from 'typebox';
import { Nullable } from '../nullable.js';

/** Which SHL request it was: the manifest `POST`, a `location` file `GET`, or a direct (`U`) file `GET`. */
export const AccessPathSchema = Type.Union([
  Type.Literal('manifest'),
  Type.Literal('file'),
  Type.Literal('direct'),
]);

export type AccessPath = Static<typeof AccessPathSchema>;

/**
 * How the request ended. `inactive` is any 404 of an existing link (expired, revoked, locked...);
 * `wrong-method` is a manifest `POST` to an active direct-file (`U`) link, which receivers fetch by `GET`
 * (it too answers the uniform 404).
 */
export const AccessOutcomeSchema = Type.Union([
  Type.Literal('ok'),
  Type.Literal('wrong-passcode'),
  Type.Literal('passcode-required'),
  Type.Literal('inactive'),
  Type.Literal('rate-limited'),
  Type.Literal('wrong-method'),
]);

export type AccessOutcome = Static<typeof AccessOutcomeSchema>;

/** One row of a link's access log. `recipient` is what the receiver said it is (SHL `recipient`). */
export const AccessSchema = Type.Object({
  id: Type.String(),
  at: Type.String({ description: 'ISO 8601 time' }),
  recipient: Nullable(Type.String()),
  path: AccessPathSchema,
  outcome: AccessOutcomeSchema,
  fileId: Nullable(Type.String()),
});

export type Access = Static<typeof AccessSchema>;

/** One page of accesses, newest first; `nextCursor` is the `cursor` of the next page, null on the last. */
export const AccessListSchema = Type.Object({
  accesses: Type.Array(AccessSchema),
  nextCursor: Nullable(Type.String()),
});

export type AccessList = Static<typeof AccessListSchema>;

/** `GET /api/links/:id/accesses`: `limit` 1 to 1000 (default 100); `cursor` from a previous `nextCursor`. */
export const ListAccessesQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
});

export type ListAccessesQuery = Static<typeof ListAccessesQuerySchema>;

/**
 * `GET /api/links/:id/accesses/stream`: `after`, an access `id`, starts the stream after it (default: only
 * accesses from now on). A reconnecting `EventSource` sends `Last-Event-ID` instead, which wins.
 */
export const StreamAccessesQuerySchema = Type.Object({
  after: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
});

export type StreamAccessesQuery = Static<typeof StreamAccessesQuerySchema>;

/** The answer of the stream route, for OpenAPI: Server-Sent Events, never-ending. */
export const AccessStreamSchema = Type.String({
  description:
    'text/event-stream: one `access` event per access (`id:` the access id, `data:` the Access as JSON), a `: heartbeat` comment every 15 seconds',
});
