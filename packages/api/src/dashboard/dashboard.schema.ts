import { type Static, Type } from 'typebox';
import { AccessOutcomeSchema, AccessPathSchema } from '../access-log/access.schema.js';
import { Nullable } from '../nullable.js';

const Count = (description: string) => Type.Integer({ minimum: 0, description });

/**
 * How many links there are, by what happened to them, at the time of the request. `active`, `expired`,
 * `revoked`, `locked` and `usedUp` are the link statuses (`GET /api/links?status=`) and add up to
 * `created.total`; `opened` and `expiringSoon` cut across them.
 */
export const DashboardCountsSchema = Type.Object({
  created: Type.Object({
    total: Count('every link ever created, revoked ones included'),
    last7Days: Count('links created in the last 7 days (7 × 24 hours before the request)'),
  }),
  opened: Count('links served at least once (a manifest or direct-file answer: `uses` > 0)'),
  active: Count('links with status `active`'),
  expired: Count('links with status `expired`'),
  revoked: Count('links with status `revoked` (deactivated or deleted)'),
  locked: Count('links with status `locked` (no passcode attempts left)'),
  usedUp: Count('links with status `used-up` (their `maxUses` reached)'),
  expiringSoon: Count('active links whose expiry falls within the next 7 days'),
});

export type DashboardCounts = Static<typeof DashboardCountsSchema>;

/** One access of the access log across all links, with the label of its link. */
export const RecentAccessSchema = Type.Object({
  id: Type.String({ description: 'the access id, as in `GET /api/links/{id}/accesses`' }),
  linkId: Type.String(),
  label: Nullable(Type.String({ description: "the link's label (untrusted text)" })),
  at: Type.String({ description: 'ISO 8601 time' }),
  recipient: Nullable(
    Type.String({ description: 'what the receiver said it is (SHL `recipient`; untrusted text)' }),
  ),
  path: AccessPathSchema,
  outcome: AccessOutcomeSchema,
});

export type RecentAccess = Static<typeof RecentAccessSchema>;

/** `GET /api/dashboard`: the counts and the newest accesses across all links, newest first. */
export const DashboardSchema = Type.Object({
  counts: DashboardCountsSchema,
  recentAccesses: Type.Array(RecentAccessSchema),
});

export type Dashboard = Static<typeof DashboardSchema>;

/** `GET /api/dashboard`: `recent`, how many recent accesses to list (1 to 100, default 20). */
export const DashboardQuerySchema = Type.Object({
  recent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

export type DashboardQuery = Static<typeof DashboardQuerySchema>;
