import { type Static, Type } from 'typebox';
import { RoleSchema } from '../session/session.schema.js';

/** An account as listed: never its password. Times are ISO 8601. */
export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Type.String(),
});

export type User = Static<typeof UserSchema>;

/** `GET /api/users`: every account, by username. */
export const UserListSchema = Type.Object({ users: Type.Array(UserSchema) });

export type UserList = Static<typeof UserListSchema>;

/** A password of 12 to 1024 characters. */
const PasswordSchema = Type.String({ minLength: 12, maxLength: 1024 });

/** `POST /api/users`. */
export const CreateUserBodySchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^:\\s][^:]*$' }),
    password: PasswordSchema,
    role: RoleSchema,
  },
  { additionalProperties: false },
);

export type CreateUserBody = Static<typeof CreateUserBodySchema>;

/** `PATCH /api/users/:id`: any of role, password, disabled. Disabling ends the account's sessions. */
export const UpdateUserBodySchema = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    password: Type.Optional(PasswordSchema),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export type UpdateUserBody = Static<typeof UpdateUserBodySchema>;

/** `:id` of `/api/users/:id`. */
export const UserIdParamsSchema = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

export type UserIdParams = Static<typeof UserIdParamsSchema>;
