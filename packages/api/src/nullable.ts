import { type TSchema, Type } from 'typebox';

/** `schema` or `null`: how the API says "not set" (never by leaving the field out). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
