import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';
import { hashSecret, verifySecret } from '../passcodes/scrypt-hash.js';
import { cryptoRandom, type Random, randomToken } from '../random.js';

/** Admin users sign in to the management API with HTTP Basic; passwords are stored as scrypt hashes. */
export const createAdminUser = async (
  db: Database,
  input: { username: string; password: string },
  options: { random?: Random; now?: Date } = {},
): Promise<{ id: string; username: string }> => {
  const random = options.random ?? cryptoRandom;
  if (input.username.trim() === '' || input.username.includes(':')) {
    throw new ServerError('SHL_VALIDATION_FAILED', 'a username is non-empty and has no colon', {
      field: 'username',
    });
  }
  if (input.password.length < 8) {
    throw new ServerError('SHL_VALIDATION_FAILED', 'a password has at least 8 characters', {
      field: 'password',
    });
  }
  const existing = await db
    .selectFrom('shl_admin_users')
    .select('id')
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (existing !== undefined) throw new ServerError('SHL_USERNAME_TAKEN', `user ${input.username} exists`);
  const id = randomToken(random, 9);
  await db
    .insertInto('shl_admin_users')
    .values({
      id,
      username: input.username,
      password_hash: await hashSecret(input.password, random),
      created_at: options.now ?? new Date(),
    })
    .execute();
  return { id, username: input.username };
};

/**
 * A well-formed hash of no password anyone knows: an unknown username is checked against it, so that it
 * costs the same scrypt as a known one and the answer time does not tell which usernames exist.
 */
const NO_USER_HASH = `scrypt$16384$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`;

export const verifyAdminUser = async (db: Database, username: string, password: string): Promise<boolean> => {
  const row = await db
    .selectFrom('shl_admin_users')
    .select('password_hash')
    .where('username', '=', username)
    .executeTakeFirst();
  const matches = await verifySecret(password, row?.password_hash ?? NO_USER_HASH);
  return row !== undefined && matches;
};
