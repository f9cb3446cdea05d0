import { type Static, Type } from 'typebox';
import { Nullable } from '../nullable.js';

/**
 * A link's status for its owner. Receivers never see it: every status but `active` reads to them as one
 * uniform 404. A deactivated link (reversible) and a deleted one (for good) both show as `revoked`;
 * `deactivatedAt` and `revokedAt` tell which. `used-up`: the link has given its `maxUses` answers.
 */
export const LinkStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
  Type.Literal('locked'),
  Type.Literal('used-up'),
]);

export type LinkStatus = Static<typeof LinkStatusSchema>;

/** The SHL payload (SHL: `url`, `key`, `exp`, `flag`, `label`); `key` is absent for zero-knowledge links. */
export const LinkPayloadSchema = Type.Object(
  {
    url: Type.String(),
    key: Type.Optional(Type.String()),
    exp: Type.Optional(Type.Number()),
    flag: Type.Optional(Type.String()),
    label: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export type LinkPayload = Static<typeof LinkPayloadSchema>;

/**
 * What the management API says about a link. Times are ISO 8601 strings, except `expiresAt` (epoch
 * seconds, as in the SHL payload's `exp`). `shlink` and `viewerUrl` are absent when the server does not have
 * the key: zero-knowledge links (the creator assembles the link) and deleted links.
 */
export const LinkSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  shlink: Type.Optional(Type.String()),
  viewerUrl: Type.Optional(Type.String()),
  payload: LinkPayloadSchema,
  label: Nullable(Type.String()),
  flag: Type.String(),
  status: LinkStatusSchema,
  longTerm: Type.Boolean(),
  direct: Type.Boolean(),
  zeroKnowledge: Type.Boolean(),
  passcode: Type.Boolean(),
  passcodeAttempts: Nullable(Type.Integer()),
  remainingAttempts: Nullable(Type.Integer()),
  uses: Type.Integer({ description: 'manifest and direct-file answers served so far' }),
  maxUses: Nullable(Type.Integer({ description: 'the use limit; null for none' })),
  expiresAt: Nullable(Type.Number()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  deactivatedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  fileCount: Type.Integer(),
  accessCount: Type.Integer(),
  lastAccessAt: Nullable(Type.String()),
  owner: Type.Optional(
    Nullable(
      Type.String({
        description:
          'who created the link (`oidc:<sub>`, `key:<id>`, a username); shown to callers who see every link, null for links made before owners',
      }),
    ),
  ),
});

export type Link = Static<typeof LinkSchema>;

/**
 * The answer to `POST /api/links` and `POST /api/links/from-fhir`: the link, and its `managementToken`,
 * shown this once (the server keeps only its hash). `Authorization: Bearer <managementToken>` reads,
 * changes and revokes this one link (GET, PATCH, DELETE, access log, QR) and nothing else.
 */
export const CreatedLinkSchema = Type.Object({
  ...LinkSchema.properties,
  managementToken: Type.String({ description: 'bearer token for this one link; shown only here' }),
});

export type CreatedLink = Static<typeof CreatedLinkSchema>;

/** One page of links in the order asked; `nextCursor` is the `cursor` of the next page, null on the last. */
export const LinkListSchema = Type.Object({
  links: Type.Array(LinkSchema),
  nextCursor: Nullable(Type.String()),
});

export type LinkList = Static<typeof LinkListSchema>;
