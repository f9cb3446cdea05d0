import { ERROR_CODES, type ErrorCode, isWireErrorCode, type WireErrorCode } from '@shlkit/core';
import { type Static, Type } from 'typebox';

/** Every code an HTTP answer may carry, from the registry in `@shlkit/core` (`audience` not `local`). */
const WIRE_ERROR_CODES: readonly WireErrorCode[] = (Object.keys(ERROR_CODES) as ErrorCode[]).filter(
  isWireErrorCode,
);

/**
 * The `code` of an error answer: one of the registry's wire codes. A newer server may add codes; the
 * client reads one it does not know as `SHL_INVALID_RESPONSE` (see `callRoute`).
 */
export const ErrorCodeSchema = Type.Unsafe<WireErrorCode>({
  type: 'string',
  enum: [...WIRE_ERROR_CODES],
  description: 'stable machine-readable code, e.g. SHL_VALIDATION_FAILED',
});

/**
 * Every error answer of the server: `{ "error": { "code", "message", "field"? } }`. `field` names the
 * request field the error is about, as the check that failed names it (`expiresAt`, `files[0].jwe`).
 */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: ErrorCodeSchema,
      message: Type.String(),
      field: Type.Optional(Type.String({ description: 'the request field the error is about' })),
    }),
  },
  { description: 'An error' },
);

export type ErrorBody = Static<typeof ErrorBodySchema>;

/** The error answers of a route: `{ 400: ErrorBodySchema, 401: ErrorBodySchema, ... }`. */
export const errorAnswers = <S extends number>(...statuses: S[]): Record<S, typeof ErrorBodySchema> =>
  Object.fromEntries(statuses.map((status) => [status, ErrorBodySchema])) as Record<
    S,
    typeof ErrorBodySchema
  >;
