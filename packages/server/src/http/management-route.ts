import { MANAGEMENT_SECURITY, type RouteContract } from '@shlkit/api';
import type { TSchema } from 'typebox';

/**
 * The Fastify schema of a contract route, typed so that the TypeBox provider types request and reply. A
 * non-JSON answer is typed as its own schema (`Uint8Array` for a PNG): the `content` wrapper it is declared
 * in (see `responseOf`) changes how it is documented, not what is sent.
 */
export type ManagementRouteSchema<R extends RouteContract> = {
  tags: string[];
  summary: string;
  security: typeof MANAGEMENT_SECURITY;
  response: R['answers'];
} & (R extends { params: infer P } ? { params: P } : unknown) &
  (R extends { query: infer Q } ? { querystring: Q } : unknown) &
  (R extends { headers: infer H } ? { headers: H } : unknown) &
  (R extends { body: infer B } ? { body: B } : unknown);

/**
 * A success answer that is not JSON is declared under its media type (Fastify's and OpenAPI's `content`),
 * so that the OpenAPI document says `image/png` rather than `application/json`. Error answers stay JSON.
 */
const responseOf = (route: RouteContract): Record<number, unknown> => {
  if (route.mediaType === undefined) return route.answers;
  const response: Record<number, unknown> = { ...route.answers };
  for (const [status, schema] of Object.entries(route.answers) as [string, TSchema][]) {
    if (Number(status) >= 300) continue;
    const { description } = schema as { description?: string };
    response[Number(status)] = { description, content: { [route.mediaType]: { schema } } };
  }
  return response;
};

/**
 * `method`, `url` and `schema` of a route of `MANAGEMENT_ROUTES` (`@shlkit/api`), for `app.route`: the
 * server serves the contract as written, with no copy of a path, a schema or a status to drift.
 */
export const managementRoute = <R extends RouteContract>(
  route: R,
): { method: R['method']; url: R['path']; schema: ManagementRouteSchema<R> } => ({
  method: route.method,
  url: route.path,
  schema: {
    tags: [...route.tags],
    summary: route.summary,
    security: route.security === 'none' ? [] : MANAGEMENT_SECURITY,
    ...(route.params === undefined ? {} : { params: route.params }),
    ...(route.query === undefined ? {} : { querystring: route.query }),
    ...(route.headers === undefined ? {} : { headers: route.headers }),
    ...(route.body === undefined ? {} : { body: route.body }),
    response: responseOf(route),
  } as ManagementRouteSchema<R>,
});
