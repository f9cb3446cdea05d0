import { type Static, Type } from 'typebox';
import { Nullable } from '../nullable.js';

/**
 * One administrative action. `actor` is a username, `key:<id>` for an API key, `SHL_API_KEY` for the
 * configured key, or for a failed sign-in the name that was tried. `action` is one of
 * `session.signed-in`, `session.signed-out`, `session.sign-in-failed`, `link.created`, `link.changed`,
 * `link.revoked`, `link.content-replaced`, `key.created`, `key.revoked`, `user.created`, `user.changed`,
 * `user.deleted` (more may come).
 */
export const AuditEventSchema = Type.Object({
  at: Type.String({ description: 'ISO 8601 time' }),
  actor: Type.String(),
  action: Type.String(),
  linkId: Type.Optional(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export type AuditEvent = Static<typeof AuditEventSchema>;

/** One page of events, newest first; `nextCursor` is the `cursor` of the next page, null on the last. */
export const AuditListSchema = Type.Object({
  events: Type.Array(AuditEventSchema),
  nextCursor: Nullable(Type.String()),
});

export type AuditList = Static<typeof AuditListSchema>;

/** `GET /api/audit`: every filter optional and exact; `limit` 1 to 500 (default 100). */
export const ListAuditQuerySchema = Type.Object(
  {
    linkId: Type.Optional(Type.String({ maxLength: 64 })),
    actor: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export type ListAuditQuery = Static<typeof ListAuditQuerySchema>;
