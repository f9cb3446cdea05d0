import { type Static, Type } from 'typebox';
import { Nullable } from '../nullable.js';

/**
 * What an API key may do (issue 14):
 * - `links:create`: create links, and read, change and revoke the links it created (and no other);
 * - `links:read`: read every link (list, get, access log, QR) and the audit trail;
 * - `links:manage`: read, change and revoke every link, and create links (an operator's rights);
 * - `admin`: everything, including accounts and API keys (keys made before scopes have it).
 * A request beyond a key's scopes answers 403 `SHL_FORBIDDEN`.
 */
export const ApiKeyScopeSchema = Type.Union([
  Type.Literal('links:create'),
  Type.Literal('links:read'),
  Type.Literal('links:manage'),
  Type.Literal('admin'),
]);

export type ApiKeyScope = Static<typeof ApiKeyScopeSchema>;

/** Every scope, in the order of `ApiKeyScopeSchema` (for forms and argument checks). */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = Object.freeze([
  'links:create',
  'links:read',
  'links:manage',
  'admin',
]);

/** An API key as listed: never its token. Times are ISO 8601. */
export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(ApiKeyScopeSchema),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
});

export type ApiKey = Static<typeof ApiKeySchema>;

/** `GET /api/keys`: every key, newest first. */
export const ApiKeyListSchema = Type.Object({ keys: Type.Array(ApiKeySchema) });

export type ApiKeyList = Static<typeof ApiKeyListSchema>;

/** `POST /api/keys`: a name for people (1 to 200 characters) and its scopes (default: `admin`). */
export const CreateApiKeyBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    scopes: Type.Optional(
      Type.Array(ApiKeyScopeSchema, {
        minItems: 1,
        maxItems: 4,
        uniqueItems: true,
        description: 'what the key may do; default `["admin"]`',
      }),
    ),
  },
  { additionalProperties: false },
);

export type CreateApiKeyBody = Static<typeof CreateApiKeyBodySchema>;

/** The answer to `POST /api/keys`: the only time the `token` (a bearer token, `shlk_...`) is shown. */
export const CreatedApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(ApiKeyScopeSchema),
  token: Type.String(),
  createdAt: Type.String(),
});

export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;

/** `:id` of `DELETE /api/keys/:id`. */
export const ApiKeyIdParamsSchema = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

export type ApiKeyIdParams = Static<typeof ApiKeyIdParamsSchema>;
