import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type AccessList,
  ErrorBodySchema,
  type Link,
  MANAGEMENT_ROUTES,
  type ManagementRoutes,
  type RouteAnswer,
  type RouteContract,
  type RouteInput,
} from '../src/index.js';

const routes = Object.entries(MANAGEMENT_ROUTES) as [string, RouteContract][];

describe('MANAGEMENT_ROUTES', () => {
  it.each(routes)(
    '%s lives under /api and names every path parameter in its params schema',
    (_name, route) => {
      expect(route.path).toMatch(/^\/api\//);
      const names = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]);
      const declared = Object.keys((route.params as { properties?: object } | undefined)?.properties ?? {});
      expect(declared).toEqual(names);
    },
  );

  it.each(routes)(
    '%s has one success answer, 401 for missing credentials, and only error bodies besides',
    (_name, route) => {
      const statuses = Object.keys(route.answers).map(Number);
      const successes = statuses.filter((status) => status < 300);
      expect(successes).toHaveLength(1);
      expect(route.answer === 'none').toBe(successes[0] === 204);
      expect(statuses).toContain(401);
      for (const status of statuses.filter((code) => code >= 400))
        expect(route.answers[status]).toBe(ErrorBodySchema);
    },
  );

  it.each(routes.filter(([, route]) => route.method !== 'GET' && route.security !== 'none'))(
    '%s changes state and takes a session cookie, so it lists 403 (SHL_CSRF without x-csrf-token)',
    (_name, route) => {
      expect(Object.keys(route.answers).map(Number)).toContain(403);
    },
  );

  it('has no two routes with the same method and path', () => {
    const keys = routes.map(([, route]) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives every route its types from its schemas (checked by the type check, not at run time)', () => {
    expectTypeOf<RouteAnswer<ManagementRoutes['getLink']>>().toEqualTypeOf<Link>();
    expectTypeOf<RouteAnswer<ManagementRoutes['listAccesses']>>().toEqualTypeOf<AccessList>();
    expectTypeOf<RouteAnswer<ManagementRoutes['deleteLink']>>().toEqualTypeOf<void>();
    expectTypeOf<RouteAnswer<ManagementRoutes['getQrPng']>>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<RouteInput<ManagementRoutes['getLink']>['params']>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<RouteInput<ManagementRoutes['listApiKeys']>['body']>().toEqualTypeOf<undefined>();
  });
});
