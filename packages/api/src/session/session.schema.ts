import { type Static, Type } from 'typebox';

/** What an account may do: `admin` everything, `operator` links only. */
export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('operator')]);

export type Role = Static<typeof RoleSchema>;

/** `POST /api/session`: an account's name and password. */
export const SignInBodySchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export type SignInBody = Static<typeof SignInBodySchema>;

/**
 * A signed-in session: who, and the token to send as `x-csrf-token` with every state-changing request
 * (POST, PUT, PATCH, DELETE) that the session cookie authenticates.
 */
export const SessionSchema = Type.Object({
  user: Type.Object({ username: Type.String(), role: RoleSchema }),
  csrfToken: Type.String(),
});

export type Session = Static<typeof SessionSchema>;
