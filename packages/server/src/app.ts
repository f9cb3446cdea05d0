import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { accessLogRoutes } from './access-log/access-log.routes.js';
import { defaultAdminDir, registerAdminHosting } from './admin-hosting/admin-hosting.js';
import { auditRoutes } from './audit/audit.routes.js';
import { apiKeysRoutes } from './auth/api-keys.routes.js';
import { createAuthenticate } from './auth/authenticate.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { parseTrustProxy } from './config/trust-proxy.js';
import { poolStatsOf } from './db/open-database.js';
import type { Database } from './db/schema.js';
import { ServerError } from './errors.js';
import { fhirImportRoutes } from './fhir-import/fhir-import.routes.js';
import { errorHandlingOptions, installErrorHandling } from './http/error-handler.js';
import { registerJsonBodyParser } from './http/json-body-parser.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { childLoggerFactory } from './logging/request-logging.js';
import { createKeyWrapper } from './key-wrapping/key-wrapper.js';
import type { LinkDeps } from './links/link-deps.js';
import { linksRoutes } from './links/links.routes.js';
import { publicRoutes } from './manifests/public.routes.js';
import { createMetrics } from './metrics/metrics.js';
import { registerMetrics } from './metrics/metrics.routes.js';
import { registerOpenApi } from './openapi/openapi.js';
import { qrRoutes } from './qr/qr.routes.js';
import { cryptoRandom, type Random } from './random.js';
import { budgetsOf, createRateLimiter } from './rate-limits/rate-limiter.js';
import { sessionRoutes } from './sessions/session.routes.js';
import { usersRoutes } from './users/users.routes.js';
import { registerSiteRoot } from './viewer-hosting/site-root.js';
import { defaultViewerDir, registerViewerHosting } from './viewer-hosting/viewer-hosting.js';

export interface AppDeps {
  config: Config;
  /** Migrated already. The app never closes it: whoever opened it does. */
  db: Database;
  /** 32 bytes: wraps every link key (see key-wrapping/load-kek.ts). */
  keyEncryptionKey: Uint8Array;
  clock?: Clock;
  random?: Random;
  logger?: FastifyBaseLogger;
  /** Overrides config.publicBaseUrl, for servers that learn their port only when listening. */
  publicBaseUrl?: () => string;
}

export interface ShlApp {
  app: FastifyInstance;
  /** The dependencies the features share; the demo link and tests use them. */
  linkDeps: LinkDeps;
}

/** Builds the HTTP application. Opens nothing, listens nowhere, reads no environment. */
export const createApp = async (deps: AppDeps): Promise<ShlApp> => {
  const { config, db } = deps;
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? cryptoRandom;
  const publicBaseUrl =
    deps.publicBaseUrl ??
    (() => {
      if (config.publicBaseUrl === undefined) {
        throw new ServerError('SHL_CONFIG_INVALID', 'PUBLIC_BASE_URL is not known yet', {
          field: 'PUBLIC_BASE_URL',
        });
      }
      return config.publicBaseUrl;
    });

  const app = Fastify({
    ...errorHandlingOptions,
    ...(deps.logger === undefined ? { logger: false } : { loggerInstance: deps.logger, childLoggerFactory }),
    bodyLimit: config.bodyLimit,
    // Which X-Forwarded-For hops to believe for request.ip (rate limits and logs): TRUST_PROXY.
    trustProxy: parseTrustProxy(config.trustProxy),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // Every body this server reads is JSON; anything else is 415 rather than a string that fails a schema.
  app.removeContentTypeParser('text/plain');
  registerJsonBodyParser(app);
  installErrorHandling(app);
  registerSecurityHeaders(app, () => {
    try {
      return publicBaseUrl().startsWith('https:');
    } catch {
      // Not listening yet (PORT=0 without PUBLIC_BASE_URL): then it is http.
      return false;
    }
  });
  const metrics = createMetrics(() => poolStatsOf(db));
  registerMetrics(app, metrics, config.metricsToken);

  const linkDeps: LinkDeps = {
    db,
    clock,
    random,
    keys: createKeyWrapper(deps.keyEncryptionKey, random),
    publicBaseUrl,
    settings: {
      defaultPasscodeAttempts: config.defaultPasscodeAttempts,
      fhirContentTypeParam: config.fhirContentTypeParam,
      compressFiles: config.compressFiles,
      embeddedLengthMax: config.embeddedLengthMax,
      locationTtlSeconds: config.locationTtlSeconds,
      pollIntervalSeconds: config.pollIntervalSeconds,
    },
    metrics,
  };
  const sessions = {
    idleMs: config.sessionIdleMinutes * 60_000,
    maxMs: config.sessionMaxHours * 3_600_000,
  };
  app.decorateRequest('principal', null);
  const rateLimiter = createRateLimiter({ db, clock, enabled: config.rateLimit, budgets: budgetsOf(config) });
  const authenticate = createAuthenticate({
    db,
    clock,
    configuredApiKey: config.apiKey,
    sessions,
    rateLimiter,
  });

  await registerOpenApi(app, publicBaseUrl);

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and database reachability',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => {
      await sql`select 1`.execute(db);
      return { status: 'ok' as const };
    },
  );

  await app.register(publicRoutes, { deps: linkDeps, rateLimiter });
  await app.register(linksRoutes, { deps: linkDeps, authenticate });
  await app.register(fhirImportRoutes, {
    deps: linkDeps,
    authenticate,
    fhir: { baseUrl: config.fhirBaseUrl, authToken: config.fhirAuthToken, timeoutMs: config.fhirTimeoutMs },
  });
  await app.register(accessLogRoutes, { deps: linkDeps, authenticate });
  await app.register(qrRoutes, { deps: linkDeps, authenticate });
  await app.register(apiKeysRoutes, { deps: linkDeps, authenticate });
  await app.register(sessionRoutes, {
    deps: { db, clock, random, sessions, rateLimiter },
    authenticate,
    secureCookie: () => publicBaseUrl().startsWith('https:'),
  });
  await app.register(usersRoutes, { deps: { db, clock, random }, authenticate });
  await app.register(auditRoutes, { db, authenticate });
  await registerViewerHosting(app, config.viewerDir ?? defaultViewerDir());
  await registerAdminHosting(app, config.adminDir ?? defaultAdminDir());
  registerSiteRoot(app);

  return { app: app as unknown as FastifyInstance, linkDeps };
};
