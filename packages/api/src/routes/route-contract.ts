import type { Static, TSchema } from 'typebox';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * How the body of a route's success answer is read: JSON, raw bytes (`Uint8Array`), text, or nothing
 * (204, `undefined`).
 */
export type AnswerEncoding = 'json' | 'bytes' | 'text' | 'none';

/** One route of the management API, as the server registers it and the client calls it. */
export interface RouteContract {
  readonly method: HttpMethod;
  /** Fastify syntax: `/api/links/:id`; every `:name` is a property of `params`. */
  readonly path: string;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  readonly tags: readonly string[];
  /** `none` for the one route a caller reaches without credentials (sign-in); else `MANAGEMENT_SECURITY`. */
  readonly security?: 'none';
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
  /** Request headers the route reads besides credentials (lower-case names), all optional. */
  readonly headers?: TSchema;
  /** The answer schema per HTTP status: exactly one success (2xx) status, then the error statuses. */
  readonly answers: Readonly<Record<number, TSchema>>;
  readonly answer: AnswerEncoding;
  /** The media type of a success answer that is not JSON (`image/png`); JSON when absent. */
  readonly mediaType?: string;
}

type SuccessStatus = 200 | 201 | 204;

/** The decoded success answer of a route: `Static` of its 2xx schema, `void` for 204. */
export type RouteAnswer<R extends RouteContract> = R['answer'] extends 'none'
  ? void
  : Static<R['answers'][Extract<keyof R['answers'], SuccessStatus>]>;

/** The path parameters of a route (`{ id }`), or `undefined` when it has none. */
export type RouteParams<R extends RouteContract> = R extends { params: infer P extends TSchema }
  ? Static<P>
  : undefined;

/** The query of a route, or `undefined` when it takes none. */
export type RouteQuery<R extends RouteContract> = R extends { query: infer Q extends TSchema }
  ? Static<Q>
  : undefined;

/** The JSON body of a route, or `undefined` when it takes none. */
export type RouteBody<R extends RouteContract> = R extends { body: infer B extends TSchema }
  ? Static<B>
  : undefined;

/** The request headers a route reads (`{ 'idempotency-key'?: string }`), or `undefined` when none. */
export type RouteHeaders<R extends RouteContract> = R extends { headers: infer H extends TSchema }
  ? Static<H>
  : undefined;

/**
 * What a call of a route needs: `params` when its path has any, `body` when it takes one, `query` and
 * `headers` when it reads them (always optional).
 */
export type RouteInput<R extends RouteContract> = (R extends { params: TSchema }
  ? { params: RouteParams<R> }
  : { params?: undefined }) &
  (R extends { query: TSchema } ? { query?: RouteQuery<R> | undefined } : { query?: undefined }) &
  (R extends { headers: TSchema } ? { headers?: RouteHeaders<R> | undefined } : { headers?: undefined }) &
  (R extends { body: TSchema } ? { body: RouteBody<R> } : { body?: undefined });
