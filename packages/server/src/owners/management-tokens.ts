import { hashToken } from '../auth/api-keys.js';
import type { Database } from '../db/schema.js';
import { type Random, randomToken } from '../random.js';

/**
 * A link's management token: a capability for apps without accounts (issue 14). `Authorization: Bearer
 * <token>` reads, changes and revokes that one link. 256 random bits behind a prefix that tells it from an
 * API key (`shlk_`) and a JWT; only its SHA-256 is stored (a token of full entropy needs no slow hash, and
 * one indexed lookup per request finds its link).
 */
export const MANAGEMENT_TOKEN_PREFIX = 'shlm_';

/** A new token, shown once in the create answer, and the hash stored with the link. */
export const newManagementToken = (random: Random): { token: string; hash: string } => {
  const token = `${MANAGEMENT_TOKEN_PREFIX}${randomToken(random, 32)}`;
  return { token, hash: hashToken(token) };
};

/** The id of the link this management token belongs to, or undefined. */
export const findLinkOfManagementToken = async (db: Database, token: string): Promise<string | undefined> => {
  if (!token.startsWith(MANAGEMENT_TOKEN_PREFIX)) return undefined;
  const row = await db
    .selectFrom('shl_links')
    .select('id')
    .where('management_token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return row?.id;
};

/**
 * Gives the link a new management token in place of its old one, which stops working: the answer to an
 * `Idempotency-Key` retry (idempotency/create-once.ts) carries a token, and the first one, shown only in the
 * answer the client lost, cannot be rebuilt from its hash.
 * @returns the new token, shown this once
 */
export const reissueManagementToken = async (
  db: Database,
  random: Random,
  linkId: string,
): Promise<string> => {
  const { token, hash } = newManagementToken(random);
  await db.updateTable('shl_links').set({ management_token_hash: hash }).where('id', '=', linkId).execute();
  return token;
};
