import type { Role } from '@shlkit/api';
import type { Kysely } from 'kysely';
import { hashToken } from '../auth/api-keys.js';
import type { Database, DatabaseSchema } from '../db/schema.js';
import { type Random, randomToken } from '../random.js';

/** How long a session lives: `idleMs` after its last request, `maxMs` after sign-in at most. */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export interface LiveSession {
  userId: string;
  username: string;
  role: Role;
  csrfToken: string;
}

/**
 * Starts a session for an account. The token (256 random bits) goes into the cookie; only its SHA-256 is
 * stored, so a copy of the database opens no session. The CSRF token is stored as is: alone it opens
 * nothing, and it must be shown again by `GET /api/session`.
 */
export const createSession = async (
  trx: Kysely<DatabaseSchema>,
  userId: string,
  now: Date,
  random: Random,
): Promise<{ token: string; csrfToken: string }> => {
  const token = randomToken(random, 32);
  const csrfToken = randomToken(random, 32);
  await trx
    .insertInto('shl_sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
    })
    .execute();
  return { token, csrfToken };
};

/**
 * The live session of a cookie token, touched (its idle time starts again) in the same statement: not
 * idle for `idleMs`, younger than `maxMs`, of an account that is not disabled. Any server process on the
 * same database answers the same.
 */
export const findLiveSession = async (
  db: Database,
  token: string,
  now: Date,
  policy: SessionPolicy,
): Promise<LiveSession | undefined> => {
  const row = await db
    .updateTable('shl_sessions')
    .from('shl_admin_users')
    .set({ last_seen_at: now })
    .whereRef('shl_admin_users.id', '=', 'shl_sessions.user_id')
    .where('shl_sessions.token_hash', '=', hashToken(token))
    .where('shl_sessions.last_seen_at', '>', new Date(now.getTime() - policy.idleMs))
    .where('shl_sessions.created_at', '>', new Date(now.getTime() - policy.maxMs))
    .where('shl_admin_users.disabled_at', 'is', null)
    .returning([
      'shl_sessions.user_id',
      'shl_sessions.csrf_token',
      'shl_admin_users.username',
      'shl_admin_users.role',
    ])
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { userId: row.user_id, username: row.username, role: row.role, csrfToken: row.csrf_token };
};

/** Ends one session (sign-out). */
export const endSession = async (trx: Kysely<DatabaseSchema>, tokenHash: string): Promise<void> => {
  await trx.deleteFrom('shl_sessions').where('token_hash', '=', tokenHash).execute();
};

/** Ends every session of an account (disabled, deleted, or its password changed). */
export const endUserSessions = async (trx: Kysely<DatabaseSchema>, userId: string): Promise<void> => {
  await trx.deleteFrom('shl_sessions').where('user_id', '=', userId).execute();
};

/** Drops sessions past either limit, so the table holds only live ones (run at each sign-in). */
export const dropEndedSessions = async (
  trx: Kysely<DatabaseSchema>,
  now: Date,
  policy: SessionPolicy,
): Promise<void> => {
  await trx
    .deleteFrom('shl_sessions')
    .where((eb) =>
      eb.or([
        eb('last_seen_at', '<=', new Date(now.getTime() - policy.idleMs)),
        eb('created_at', '<=', new Date(now.getTime() - policy.maxMs)),
      ]),
    )
    .execute();
};
