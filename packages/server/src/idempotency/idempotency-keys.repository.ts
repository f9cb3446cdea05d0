import type { Kysely } from 'kysely';
import type { Database, DatabaseSchema } from '../db/schema.js';

/** What a caller's key made: the request's fingerprint and the link. */
export interface StoredKey {
  fingerprint: string;
  linkId: string;
}

/** The link `principal`'s `key` made, unless none did or the row expired by `now`. */
export const findKey = async (
  db: Database,
  principal: string,
  key: string,
  now: Date,
): Promise<StoredKey | undefined> => {
  const row = await db
    .selectFrom('shl_idempotency_keys')
    .select(['fingerprint', 'link_id'])
    .where('principal', '=', principal)
    .where('key', '=', key)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row === undefined ? undefined : { fingerprint: row.fingerprint, linkId: row.link_id };
};

export interface KeyClaim {
  principal: string;
  key: string;
  fingerprint: string;
  linkId: string;
  now: Date;
  expiresAt: Date;
}

/**
 * Records that `claim.key` made `claim.linkId`, in the link's own transaction. False when a live row for
 * the key exists already: another request with the key committed first (PostgreSQL makes this insert wait
 * for a concurrent one to commit or roll back, so two retries racing cannot both win). An expired row is
 * taken over. Expired rows of every caller are purged on the way (the index on `expires_at` keeps it cheap).
 */
export const claimKey = async (trx: Kysely<DatabaseSchema>, claim: KeyClaim): Promise<boolean> => {
  await trx.deleteFrom('shl_idempotency_keys').where('expires_at', '<=', claim.now).execute();
  const row = await trx
    .insertInto('shl_idempotency_keys')
    .values({
      principal: claim.principal,
      key: claim.key,
      fingerprint: claim.fingerprint,
      link_id: claim.linkId,
      created_at: claim.now,
      expires_at: claim.expiresAt,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['principal', 'key'])
        .doUpdateSet((eb) => ({
          fingerprint: eb.ref('excluded.fingerprint'),
          link_id: eb.ref('excluded.link_id'),
          created_at: eb.ref('excluded.created_at'),
          expires_at: eb.ref('excluded.expires_at'),
        }))
        .where('shl_idempotency_keys.expires_at', '<=', claim.now),
    )
    .returning('link_id')
    .executeTakeFirst();
  return row !== undefined;
};
