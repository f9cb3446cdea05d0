import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The admin app talks to this server only (`connect-src 'self'`), shows QR codes as blob: images, and may
 * never be framed (clickjacking of the revoke button).
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Found from this module, so it works from `src` and `dist`. */
export const defaultAdminDir = (): string => fileURLToPath(new URL('../../../admin/dist/', import.meta.url));

const setAdminHeaders = (reply: FastifyReply): void => {
  reply.header('content-security-policy', ADMIN_CSP);
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Admin app not built</title></head>
<body><h1>The admin app is not built yet</h1>
<p>Build it with <code>npm run build -w @shlkit/admin</code> (or <code>npm run build</code>) and reload this page.
The management API itself works: it is described at <a href="/docs">/docs</a>.</p></body></html>`;

/**
 * Serves the admin app at /admin: its hashed assets as files, and index.html for /admin and every other
 * path under it (the app routes in the browser). index.html is `no-store`, so a new build is picked up at
 * once; a missing asset is a plain 404, not the page.
 */
export const registerAdminHosting = async (app: FastifyInstance, adminDir: string): Promise<void> => {
  const built = existsSync(`${adminDir.replace(/\/+$/, '')}/index.html`);
  if (!built) {
    const notBuilt = async (_request: unknown, reply: FastifyReply) => {
      setAdminHeaders(reply);
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(NOT_BUILT_PAGE);
    };
    app.get('/admin', { schema: { hide: true } }, notBuilt);
    app.get('/admin/*', { schema: { hide: true } }, notBuilt);
    return;
  }
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      setAdminHeaders(reply);
      // The page names the hashed assets of one build; never keep an old one (it would load stale files).
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply.header('cache-control', 'no-store');
      }
      return payload;
    });
    // Files found at start get their own routes (wildcard: false), so the catch-all below is the fallback.
    await scope.register(fastifyStatic, { root: adminDir, prefix: '/admin/', index: false, wildcard: false });
    const sendIndex = async (_request: unknown, reply: FastifyReply) =>
      reply.header('cache-control', 'no-store').sendFile('index.html', { cacheControl: false });
    scope.get('/admin', { schema: { hide: true } }, sendIndex);
    scope.get('/admin/', { schema: { hide: true } }, sendIndex);
    scope.get('/admin/*', { schema: { hide: true } }, async (request, reply) => {
      if (request.url.startsWith('/admin/assets/')) return reply.callNotFound();
      return sendIndex(request, reply);
    });
  });
};
