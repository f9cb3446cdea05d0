import { type Static, Type } from 'typebox';
import { Nullable } from '../nullable.js';

/** An API key as listed: never its token. Times are ISO 8601. */
export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
});

export type ApiKey = Static<typeof ApiKeySchema>;

/** `GET /api/keys`: every key, newest first. */
export const ApiKeyListSchema = Type.Object({ keys: Type.Array(ApiKeySchema) });

export type ApiKeyList = Static<typeof ApiKeyListSchema>;

/** `POST /api/keys`: a name for people (1 to 200 characters). */
export const CreateApiKeyBodySchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export type CreateApiKeyBody = Static<typeof CreateApiKeyBodySchema>;

/** The answer to `POST /api/keys`: the only time the `token` (a bearer token, `shlk_...`) is shown. */
export const CreatedApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  token: Type.String(),
  createdAt: Type.String(),
});

export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;

/** `:id` of `DELETE /api/keys/:id`. */
export const ApiKeyIdParamsSchema = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

export type ApiKeyIdParams = Static<typeof ApiKeyIdParamsSchema>;
