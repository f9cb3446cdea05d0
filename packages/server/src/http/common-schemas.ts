import { Type } from 'typebox';

/** Every error body: `{ "error": { "code", "message", "field"? } }`. */
export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable machine-readable code, e.g. SHL_VALIDATION_FAILED' }),
      message: Type.String(),
      field: Type.Optional(Type.String({ description: 'the request field the error is about' })),
    }),
  },
  { description: 'An error' },
);

export const errorResponses = <S extends number>(...statuses: S[]): Record<S, typeof ErrorSchema> =>
  Object.fromEntries(statuses.map((status) => [status, ErrorSchema])) as Record<S, typeof ErrorSchema>;

/** A 43-character base64url id (256 bits). */
export const LinkIdParams = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'the link id (43 base64url characters)' }),
});

/** Management routes accept a bearer API key or an admin user's Basic credentials. */
export const MANAGEMENT_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { basic: [] }];
