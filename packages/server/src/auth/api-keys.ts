import { hasControlCharacters } from '@shlkit/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { API_KEY_SCOPES, type ApiKey, type ApiKeyScope, type CreatedApiKey } from '@shlkit/api';
import type { Kysely } from 'kysely';
import type { Database, DatabaseSchema } from '../db/schema.js';
import { ServerError } from '../errors.js';
import { cryptoRandom, type Random, randomToken } from '../random.js';

/**
 * API keys are bearer tokens of 256 random bits. Only their SHA-256 is stored: a token has full entropy,
 * so a fast hash is enough (a slow one is for guessable secrets such as passcodes and passwords).
 */
export const TOKEN_PREFIX = 'shlk_';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** An API key as the management API lists it (`@shlkit/api`). */
export type ApiKeyView = ApiKey;

/**
 * Scopes as stored: space-separated, in the order of `API_KEY_SCOPES`, each once. A word that is not a
 * scope (a newer server's) is dropped when read, so an older server grants less, never more.
 */
const formatScopes = (scopes: readonly ApiKeyScope[]): string =>
  API_KEY_SCOPES.filter((scope) => scopes.includes(scope)).join(' ');

export const parseScopes = (stored: string): ApiKeyScope[] =>
  API_KEY_SCOPES.filter((scope) => stored.split(' ').includes(scope));

/**
 * Makes a key: `scopes` default to `admin` (every right, as keys had before scopes).
 * @throws {ServerError} `SHL_VALIDATION_FAILED` (field `scopes`) for an empty list
 */
export const createApiKey = async (
  db: Kysely<DatabaseSchema>,
  input: { name: string; scopes?: readonly ApiKeyScope[] | undefined },
  options: { random?: Random; now?: Date } = {},
): Promise<CreatedApiKey> => {
  // A name is text for people, and PostgreSQL text cannot hold U+0000: refused here, not by the database.
  if (hasControlCharacters(input.name)) {
    throw new ServerError(
      'SHL_VALIDATION_FAILED',
      'name must not contain control characters or lone UTF-16 surrogates',
      { field: 'name' },
    );
  }
  const random = options.random ?? cryptoRandom;
  const scopes = formatScopes(input.scopes ?? ['admin']);
  if (scopes === '') {
    throw new ServerError('SHL_VALIDATION_FAILED', `scopes: one or more of ${API_KEY_SCOPES.join(', ')}`, {
      field: 'scopes',
    });
  }
  const id = randomToken(random, 9);
  const token = `${TOKEN_PREFIX}${randomToken(random, 32)}`;
  const createdAt = options.now ?? new Date();
  await db
    .insertInto('shl_api_keys')
    .values({ id, name: input.name, token_hash: hashToken(token), created_at: createdAt, scopes })
    .execute();
  return { id, token, name: input.name, scopes: parseScopes(scopes), createdAt: createdAt.toISOString() };
};

export const listApiKeys = async (db: Database): Promise<ApiKeyView[]> => {
  const rows = await db
    .selectFrom('shl_api_keys')
    .select(['id', 'name', 'scopes', 'created_at', 'revoked_at', 'last_used_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  }));
};

/** True when a live key was revoked now. */
export const revokeApiKey = async (
  db: Kysely<DatabaseSchema>,
  id: string,
  now: Date = new Date(),
): Promise<boolean> => {
  const result = await db
    .updateTable('shl_api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
};

/** The id and scopes of the live key this token belongs to (its last use set to `now`). */
export const findApiKeyByToken = async (
  db: Database,
  token: string,
  now: Date,
): Promise<{ id: string; scopes: ApiKeyScope[] } | undefined> => {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await db
    .updateTable('shl_api_keys')
    .set({ last_used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .returning(['id', 'scopes'])
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, scopes: parseScopes(row.scopes) };
};

/** Compares the configured SHL_API_KEY in constant time (hashing first evens out the lengths). */
export const matchesConfiguredKey = (token: string, configured: string | undefined): boolean =>
  configured !== undefined &&
  timingSafeEqual(
    createHash('sha256').update(token).digest(),
    createHash('sha256').update(configured).digest(),
  );
