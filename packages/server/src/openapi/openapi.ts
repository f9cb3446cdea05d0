import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { SECURITY_SCHEMES } from '@shlkit/api';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3 from the same TypeBox schemas that validate the routes, served at /openapi.json and browsable
 * at /docs. Registered before the routes so that it sees them all.
 */
export const registerOpenApi = async (app: FastifyInstance, publicBaseUrl: () => string): Promise<void> => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'shlkit sharing server',
        description:
          'SMART Health Links: the management API (bearer token) and the public SHL endpoints (manifest, files).',
        version: '0.1.0',
      },
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: ({ schema, url }) => ({ schema, url }),
    transformObject: (documentObject) => {
      const spec =
        'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject;
      try {
        return { ...spec, servers: [{ url: publicBaseUrl() }] };
      } catch {
        return spec;
      }
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};
