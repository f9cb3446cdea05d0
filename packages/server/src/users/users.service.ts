import type { CreateUserBody, UpdateUserBody, User } from '@shlkit/api';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/record-audit.js';
import { createAdminUser } from '../auth/admin-users.js';
import type { Clock } from '../clock.js';
import type { Database, DatabaseSchema } from '../db/schema.js';
import { ServerError } from '../errors.js';
import { hashSecret } from '../passcodes/scrypt-hash.js';
import type { Random } from '../random.js';
import { endUserSessions } from '../sessions/session-store.js';

export interface UserDeps {
  db: Database;
  clock: Clock;
  random: Random;
}

type UserRow = {
  id: string;
  username: string;
  role: User['role'];
  disabled_at: Date | null;
  created_at: Date;
};

const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  role: row.role,
  disabled: row.disabled_at !== null,
  createdAt: row.created_at.toISOString(),
});

const COLUMNS = ['id', 'username', 'role', 'disabled_at', 'created_at'] as const;

export const listUsers = async (db: Database): Promise<User[]> =>
  (await db.selectFrom('shl_admin_users').select(COLUMNS).orderBy('username').execute()).map(toUser);

export const createUser = async (deps: UserDeps, actor: string, body: CreateUserBody): Promise<User> => {
  const now = new Date(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    const created = await createAdminUser(trx, body, { random: deps.random, now });
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'user.created',
      details: { userId: created.id, username: created.username, role: created.role },
    });
    return toUser({ ...created, disabled_at: null, created_at: created.createdAt });
  });
};

/**
 * Refuses a change that leaves no enabled admin. Rows of enabled admins are locked first (`for update`),
 * so that two admins demoting each other at once cannot both succeed.
 */
const keepAnAdmin = async (trx: Kysely<DatabaseSchema>, losingId: string): Promise<void> => {
  const admins = await trx
    .selectFrom('shl_admin_users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .forUpdate()
    .execute();
  if (admins.every((admin) => admin.id === losingId)) {
    throw new ServerError(
      'SHL_LAST_ADMIN',
      'this is the last enabled admin account; make another admin first',
    );
  }
};

const lockUser = async (trx: Kysely<DatabaseSchema>, id: string): Promise<UserRow> => {
  const row = await trx
    .selectFrom('shl_admin_users')
    .select(COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined) throw new ServerError('SHL_NOT_FOUND', 'no account with this id');
  return row;
};

/** Role, password, disabled; disabling or a new password ends the account's sessions. */
export const updateUser = async (
  deps: UserDeps,
  actor: string,
  id: string,
  body: UpdateUserBody,
): Promise<User> => {
  const now = new Date(deps.clock.now());
  const passwordHash = body.password === undefined ? undefined : await hashSecret(body.password, deps.random);
  return deps.db.transaction().execute(async (trx) => {
    const before = await lockUser(trx, id);
    const losesAdmin =
      before.role === 'admin' &&
      before.disabled_at === null &&
      (body.role === 'operator' || body.disabled === true);
    if (losesAdmin) await keepAnAdmin(trx, id);
    const disabledAt =
      body.disabled === undefined ? before.disabled_at : body.disabled ? (before.disabled_at ?? now) : null;
    const after = await trx
      .updateTable('shl_admin_users')
      .set({
        role: body.role ?? before.role,
        disabled_at: disabledAt,
        ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
      })
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    if (body.disabled === true || passwordHash !== undefined) await endUserSessions(trx, id);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'user.changed',
      details: {
        userId: id,
        username: before.username,
        ...(body.role === undefined ? {} : { role: body.role }),
        ...(body.disabled === undefined ? {} : { disabled: body.disabled }),
        ...(passwordHash === undefined ? {} : { passwordChanged: true }),
      },
    });
    return toUser(after);
  });
};

/** Deletes an account; its sessions go with it (foreign key cascade). */
export const deleteUser = async (deps: UserDeps, actor: string, id: string): Promise<void> => {
  const now = new Date(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    const before = await lockUser(trx, id);
    if (before.role === 'admin' && before.disabled_at === null) await keepAnAdmin(trx, id);
    await endUserSessions(trx, id);
    await trx.deleteFrom('shl_admin_users').where('id', '=', id).execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'user.deleted',
      details: { userId: id, username: before.username },
    });
  });
};
