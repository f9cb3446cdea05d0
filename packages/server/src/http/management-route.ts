import { MANAGEMENT_SECURITY, type RouteContract } from '@shlkit/api';

/** The Fastify schema of a contract route, typed so that the TypeBox provider types request and reply. */
export type ManagementRouteSchema<R extends RouteContract> = {
  tags: string[];
  summary: string;
  security: typeof MANAGEMENT_SECURITY;
  response: R['answers'];
} & (R extends { params: infer P } ? { params: P } : unknown) &
  (R extends { query: infer Q } ? { querystring: Q } : unknown) &
  (R extends { body: infer B } ? { body: B } : unknown);

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
    security: MANAGEMENT_SECURITY,
    ...(route.params === undefined ? {} : { params: route.params }),
    ...(route.query === undefined ? {} : { querystring: route.query }),
    ...(route.body === undefined ? {} : { body: route.body }),
    response: route.answers,
  } as ManagementRouteSchema<R>,
});
