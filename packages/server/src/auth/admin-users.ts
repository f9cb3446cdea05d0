import { hasControlCharacters } from '@shlkit/core';
import type { Role } from '@shlkit/api';
import type { Kysely } from 'kysely';
import type { Database, DatabaseSchema } from '../db/schema.js';
import { ServerError } from '../errors.js';
import { hashSecret, verifySecret } from '../passcodes/scrypt-hash.js';
import { cryptoRandom, type Random, randomToken } from '../random.js';

/** Accounts sign in with `POST /api/session`; passwords are stored as scrypt hashes only. */
export const MIN_PASSWORD_LENGTH = 12;

export const checkUsername = (username: string): void => {
  if (
    username.trim() === '' ||
    username.includes(':') ||
    username.length > 200 ||
    hasControlCharacters(username)
  ) {
    throw new ServerError(
      'SHL_VALIDATION_FAILED',
      'a username is 1 to 200 characters without a colon or control characters',
      { field: 'username' },
    );
  }
};

export const checkPassword = (password: string): void => {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ServerError(
      'SHL_VALIDATION_FAILED',
      `a password has at least ${MIN_PASSWORD_LENGTH} characters`,
      { field: 'password' },
    );
  }
};

export const createAdminUser = async (
  db: Kysely<DatabaseSchema>,
  input: { username: string; password: string; role?: Role },
  options: { random?: Random; now?: Date } = {},
): Promise<{ id: string; username: string; role: Role; createdAt: Date }> => {
  const random = options.random ?? cryptoRandom;
  checkUsername(input.username);
  checkPassword(input.password);
  const existing = await db
    .selectFrom('shl_admin_users')
    .select('id')
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (existing !== undefined) throw new ServerError('SHL_USERNAME_TAKEN', `user ${input.username} exists`);
  const id = randomToken(random, 9);
  const role = input.role ?? 'admin';
  const createdAt = options.now ?? new Date();
  await db
    .insertInto('shl_admin_users')
    .values({
      id,
      username: input.username,
      password_hash: await hashSecret(input.password, random),
      role,
      created_at: createdAt,
    })
    .execute();
  return { id, username: input.username, role, createdAt };
};

/**
 * SHL_ADMIN_USER and SHL_ADMIN_PASSWORD at start: the account is created, or made an enabled admin with
 * this password (a forgotten password is reset by restarting with a new one). Its sessions end when it
 * existed, since its password may have changed.
 */
export const ensureAdminAccount = async (
  db: Database,
  input: { username: string; password: string },
  options: { random?: Random; now?: Date } = {},
): Promise<'created' | 'reset'> => {
  const random = options.random ?? cryptoRandom;
  checkUsername(input.username);
  checkPassword(input.password);
  const passwordHash = await hashSecret(input.password, random);
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('shl_admin_users')
      .set({ password_hash: passwordHash, role: 'admin', disabled_at: null })
      .where('username', '=', input.username)
      .returning('id')
      .executeTakeFirst();
    if (updated !== undefined) {
      await trx.deleteFrom('shl_sessions').where('user_id', '=', updated.id).execute();
      return 'reset';
    }
    await trx
      .insertInto('shl_admin_users')
      .values({
        id: randomToken(random, 9),
        username: input.username,
        password_hash: passwordHash,
        role: 'admin',
        created_at: options.now ?? new Date(),
      })
      .execute();
    return 'created';
  });
};

/**
 * A well-formed hash of no password anyone knows: an unknown username is checked against it, so that it
 * costs the same scrypt as a known one and the answer time does not tell which usernames exist.
 */
const NO_USER_HASH = `scrypt$16384$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`;

/**
 * The enabled account with this name and password, or undefined. Always runs exactly one scrypt, whether
 * the account exists, is disabled or not, so that neither the answer nor its time tells them apart.
 */
export const checkCredentials = async (
  db: Database,
  username: string,
  password: string,
): Promise<{ id: string; username: string; role: Role } | undefined> => {
  // A name no account can have (a NUL would fail in PostgreSQL) is an unknown user: same scrypt, same answer.
  const row = hasControlCharacters(username)
    ? undefined
    : await db
        .selectFrom('shl_admin_users')
        .select(['id', 'username', 'role', 'password_hash', 'disabled_at'])
        .where('username', '=', username)
        .executeTakeFirst();
  const matches = await verifySecret(password, row?.password_hash ?? NO_USER_HASH);
  if (row === undefined || !matches || row.disabled_at !== null) return undefined;
  return { id: row.id, username: row.username, role: row.role };
};
