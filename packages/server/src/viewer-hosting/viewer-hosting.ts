import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The viewer is a static app; the CSP keeps it to its own scripts and styles. `connect-src *` because a
 * link's url may point to any SHL server and SHC issuers' key sets live anywhere.
 */
export const VIEWER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  'connect-src *',
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Found from this module, so it works from `src` and `dist`. */
export const defaultViewerDir = (): string =>
  fileURLToPath(new URL('../../../viewer/dist/', import.meta.url));

const setViewerHeaders = (reply: FastifyReply): void => {
  reply.header('content-security-policy', VIEWER_CSP);
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-content-type-options', 'nosniff');
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Viewer not built</title></head>
<body><h1>The viewer is not built yet</h1>
<p>Build it with <code>npm run build -w @shlkit/viewer</code> (or <code>npm run build</code>) and reload this page.
The sharing server itself works: the API is at <a href="/docs">/docs</a>.</p></body></html>`;

/** Serves the viewer at /view, or a page saying how to build it when its folder is missing. */
export const registerViewerHosting = async (app: FastifyInstance, viewerDir: string): Promise<void> => {
  const built = existsSync(`${viewerDir.replace(/\/+$/, '')}/index.html`);
  if (!built) {
    const notBuilt = async (_request: unknown, reply: FastifyReply) => {
      setViewerHeaders(reply);
      return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    };
    app.get('/view', { schema: { hide: true } }, notBuilt);
    app.get('/view/*', { schema: { hide: true } }, notBuilt);
    return;
  }
  await app.register(async (scope) => {
    scope.addHook('onSend', async (request, reply, payload) => {
      setViewerHeaders(reply);
      // QR codes open `/view` (no slash); a worker at /view/sw.js may control that page only if allowed.
      if (request.url.split('?')[0] === '/view/sw.js') reply.header('service-worker-allowed', '/view');
      return payload;
    });
    await scope.register(fastifyStatic, {
      root: viewerDir,
      prefix: '/view/',
      index: 'index.html',
      wildcard: true,
    });
    scope.get('/view', { schema: { hide: true } }, async (_request, reply) => reply.sendFile('index.html'));
  });
};
