import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The CSP of every answer that is not a page (JSON, JWE, images, redirects): it loads nothing, and no
 * other site may frame it. The pages carry their own: the viewer's (`VIEWER_CSP`), the admin app's
 * (`ADMIN_CSP`) and the API docs' (`DOCS_CSP`).
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Swagger UI at /docs: its scripts and styles are files of its own (no inline script), but it sets
 * `style` attributes on the elements it renders, hence `'unsafe-inline'` for styles only. "Try it out"
 * calls this server (`connect-src 'self'`); the schema icons are data: URLs.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Two years, the value HSTS preload lists ask for; subdomains are not ours to speak for. */
export const HSTS = 'max-age=63072000';

/**
 * The headers every answer carries, including the ones written outside Fastify (framework-errors.ts):
 * no MIME sniffing (a JSON answer is never run as a script or page), no `Referer` leaving with link URLs
 * (they carry the link id), and no framing.
 */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': API_CSP,
});

/**
 * Paths whose answers carry links, link keys, tokens, recipient names or health data: no cache, shared or
 * private, may keep them (RFC 9111 section 5.2.2.5).
 */
const NEVER_STORED = /^\/(api|shl)(\/|$)|^\/metrics$/;

const pathOf = (url: string): string => url.split('?')[0] ?? url;

/** Sets the headers on one answer to a request for `path` (query allowed). */
const applySecurityHeaders = (reply: FastifyReply, path: string, https: boolean): void => {
  for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) {
    if (!reply.hasHeader(name)) reply.header(name, value);
  }
  const bare = pathOf(path);
  if (bare === '/docs' || bare.startsWith('/docs/')) reply.header('content-security-policy', DOCS_CSP);
  if (NEVER_STORED.test(bare)) reply.header('cache-control', 'no-store');
  if (https) reply.header('strict-transport-security', HSTS);
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's `https()`, for answers sent without hooks (see `setSecurityHeaders`); plugins inherit it. */
    securityHeadersHttps?: () => boolean;
  }
}

/**
 * One onSend hook on the root, so that every answer Fastify sends (routes, errors, 404s, redirects,
 * static files, Swagger UI) carries `BASE_SECURITY_HEADERS`, `Cache-Control: no-store` under `/api`,
 * `/shl` and `/metrics`, the docs' CSP under `/docs`, and HSTS when `https()` (PUBLIC_BASE_URL is https;
 * a browser ignores HSTS over http, and an http deployment must not pin itself).
 *
 * Hand-written rather than `@fastify/helmet`: the set is five fixed values, three pages need CSPs of
 * their own, the same values go into the answers written outside Fastify, and helmet's other defaults
 * (`Cross-Origin-Resource-Policy: same-origin`, an always-on HSTS) would each need turning off.
 * A page's own hook (viewer, admin), registered inside its plugin, runs later and sets its own CSP.
 */
export const registerSecurityHeaders = (app: FastifyInstance, https: () => boolean): void => {
  app.decorate('securityHeadersHttps', https);
  app.addHook('onSend', async (request, reply, payload) => {
    applySecurityHeaders(reply, request.url, https());
    return payload;
  });
};

/**
 * The same headers for an answer sent without hooks: Fastify's `frameworkErrors` (a URL it cannot decode)
 * sends from outside any route, and a hijacked reply (the access stream) is written by hand.
 */
export const setSecurityHeaders = (request: FastifyRequest, reply: FastifyReply): void =>
  applySecurityHeaders(reply, request.url, request.server.securityHeadersHttps?.() ?? false);
