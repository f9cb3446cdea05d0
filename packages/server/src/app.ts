import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { accessLogRoutes } from './access-log/access-log.routes.js';
import { defaultAdminDir, registerAdminHosting } from './admin-hosting/admin-hosting.js';
import { auditRoutes } from './audit/audit.routes.js';
import { apiKeysRoutes } from './auth/api-keys.routes.js';
import { createAuthenticate } from './auth/authenticate.js';
import { dashboardRoutes } from './dashboard/dashboard.routes.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { parseTrustProxy } from './config/trust-proxy.js';
import { poolStatsOf } from './db/open-database.js';
import type { Database } from './db/schema.js';
import { ServerError } from './errors.js';
import { fhirImportRoutes } from './fhir-import/fhir-import.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { errorHandlingOptions, installErrorHandling } from './http/error-handler.js';
import { httpTimeoutOptions } from './http/http-timeouts.js';
import { registerJsonBodyParser } from './http/json-body-parser.js';
import { refuseNulInQuery } from './http/nul-in-query.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { createKeyWrapper, type KeyRing } from './key-wrapping/key-wrapper.js';
import { childLoggerFactory } from './logging/request-logging.js';
import { createOidcVerifier } from './oidc/oidc-verifier.js';
import { createServingBatches } from './group-commit/serving-batches.js';
import { SERVING_BATCHES_IN_FLIGHT } from './db/one-round-trip.js';
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
  /**
   * 32 bytes, or a ring of a current key and previous ones that only unwrap: wraps every link key (see
   * key-wrapping/load-kek.ts).
   */
  keyEncryptionKey: Uint8Array | KeyRing;
  clock?: Clock;
  random?: Random;
  logger?: FastifyBaseLogger;
  /** Overrides config.publicBaseUrl, for servers that learn their port only when listening. */
  publicBaseUrl?: () => string;
  /**
   * How the identity provider of SHL_OIDC_ISSUER is reached: the fetch (default: the global one) and the
   * least time between two JWKS fetches for an unknown `kid`, in milliseconds (default 30,000).
   */
  oidc?: { fetch?: typeof fetch; jwksCooldownMs?: number };
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
    ...httpTimeoutOptions(config),
    http: { ...errorHandlingOptions.http, ...httpTimeoutOptions(config).http },
    bodyLimit: config.bodyLimit,
    // Which X-Forwarded-For hops to believe for request.ip (rate limits and logs): TRUST_PROXY.
    trustProxy: parseTrustProxy(config.trustProxy),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.server.maxConnections = config.httpMaxConnections;
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
  refuseNulInQuery(app as unknown as FastifyInstance);

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
    batches: createServingBatches(db, clock, {
      longTermChecked: config.pollIntervalSeconds === 0,
      // The embedded database runs one statement at a time. On PostgreSQL more than two in flight only
      // split the batches of a busy link, each waiting on the others' row lock (decision 0007).
      maxInFlight: config.databaseUrl === undefined ? 1 : SERVING_BATCHES_IN_FLIGHT,
      batchStarted: metrics.batchStarted,
      clientGone: metrics.batchClientGone,
    }),
  };
  const sessions = {
    idleMs: config.sessionIdleMinutes * 60_000,
    maxMs: config.sessionMaxHours * 3_600_000,
  };
  app.decorateRequest('principal', null);
  const rateLimiter = createRateLimiter({ db, clock, enabled: config.rateLimit, budgets: budgetsOf(config) });
  const oidc =
    config.oidcIssuer === undefined || config.oidcAudience === undefined
      ? undefined
      : createOidcVerifier({
          issuer: config.oidcIssuer,
          audience: config.oidcAudience,
          clock,
          ...(deps.oidc?.fetch === undefined ? {} : { fetch: deps.oidc.fetch }),
          ...(deps.oidc?.jwksCooldownMs === undefined ? {} : { jwksCooldownMs: deps.oidc.jwksCooldownMs }),
        });
  const authenticate = createAuthenticate({
    db,
    clock,
    configuredApiKey: config.apiKey,
    sessions,
    oidc,
    rateLimiter,
  });

  await registerOpenApi(app, publicBaseUrl);

  await app.register(healthRoutes, { db, readyTimeoutMs: config.dbConnectTimeoutMs });

  await app.register(publicRoutes, { deps: linkDeps, rateLimiter, notFoundFloorMs: config.notFoundFloorMs });
  await app.register(linksRoutes, { deps: linkDeps, authenticate });
  await app.register(fhirImportRoutes, {
    deps: linkDeps,
    authenticate,
    fhir: { baseUrl: config.fhirBaseUrl, authToken: config.fhirAuthToken, timeoutMs: config.fhirTimeoutMs },
    forwardUserToken: config.fhirForwardUserToken,
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
  await app.register(dashboardRoutes, { db, clock, authenticate });
  await registerViewerHosting(app, config.viewerDir ?? defaultViewerDir());
  await registerAdminHosting(app, config.adminDir ?? defaultAdminDir());
  registerSiteRoot(app);

  return { app: app as unknown as FastifyInstance, linkDeps };
};
