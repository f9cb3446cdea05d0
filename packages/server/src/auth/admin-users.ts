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

export const verifyAdminUser = async (db: Database, username: string, password: string): Promise<boolean> => {
  const row = await db
    .selectFrom('shl_admin_users')
    .select('password_hash')
    .where('username', '=', username)
    .executeTakeFirst();
  return row !== undefined && (await verifySecret(password, row.password_hash));
};
