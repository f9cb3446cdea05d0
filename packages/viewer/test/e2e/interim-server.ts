// INTERIM, to be deleted once @shlkit/server exports startServer: the smallest SHL sharing server that
// speaks the management API subset the e2e tests use, so the viewer can be driven end to end meanwhile.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { encodeBase64url, encodeShlink, encryptFile, generateShlKey, randomBytes } from '@shlkit/core';

interface Link {
  key: string;
  jwe: string;
  contentType: string;
  passcode?: string;
  remaining: number;
  expiresAt?: number;
  direct: boolean;
  longTerm: boolean;
  label?: string;
  lastUpdated: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

const body = async (request: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
};

export const startInterimServer = async (viewerDir: string) => {
  const links = new Map<string, Link>();
  let base = '';
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', base);
    const send = (status: number, value: unknown, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type });
      response.end(typeof value === 'string' ? value : JSON.stringify(value));
    };
    try {
      if (url.pathname === '/view' || url.pathname.startsWith('/view/')) {
        const rel = url.pathname.replace(/^\/view\/?/, '') || 'index.html';
        const file = normalize(join(viewerDir, rel));
        if (!file.startsWith(normalize(viewerDir))) return send(404, {});
        return send(200, await readFile(file), TYPES[extname(file)] ?? 'application/octet-stream');
      }
      const api = /^\/api\/links(?:\/([\w-]+))?$/.exec(url.pathname);
      if (api) {
        if (request.headers.authorization !== 'Bearer test-key') return send(401, {});
        const input = await body(request);
        if (request.method === 'POST') {
          const id = encodeBase64url(randomBytes(32));
          const key = generateShlKey();
          const files = (input.files as
            | { contentType: string; content?: unknown; jwe?: string }[]
            | undefined) ?? [
            { contentType: 'application/fhir+json;fhirVersion=4.0.1', content: input.content },
          ];
          const file = files[0] as { contentType: string; content?: unknown; jwe?: string };
          const jwe =
            file.jwe ??
            (await encryptFile(JSON.stringify(file.content), key, {
              contentType: file.contentType,
              compress: true,
            }));
          const link: Link = {
            key,
            jwe,
            contentType: file.contentType,
            remaining: (input.passcodeAttempts as number) ?? 5,
            direct: input.direct === true,
            longTerm: input.longTerm === true,
            lastUpdated: new Date().toISOString(),
          };
          if (typeof input.passcode === 'string') link.passcode = input.passcode;
          if (typeof input.expiresAt === 'number') link.expiresAt = input.expiresAt;
          if (typeof input.label === 'string') link.label = input.label;
          links.set(id, link);
          const flag = `${link.longTerm ? 'L' : ''}${link.passcode ? 'P' : ''}${link.direct ? 'U' : ''}`;
          const payload = {
            url: `${base}/shl/${id}`,
            key,
            ...(flag ? { flag } : {}),
            ...(link.expiresAt ? { exp: link.expiresAt } : {}),
            ...(link.label ? { label: link.label } : {}),
          };
          const shlink = encodeShlink(payload);
          return send(201, { id, shlink, viewerUrl: `${base}/view#${shlink}`, payload });
        }
        const link = links.get(api[1] ?? '');
        if (!link) return send(404, {});
        if (request.method === 'PATCH') {
          if (typeof input.expiresAt === 'number') link.expiresAt = input.expiresAt;
          return send(200, {});
        }
      }
      const shl = /^\/shl\/([\w-]+)$/.exec(url.pathname);
      const link = shl ? links.get(shl[1] ?? '') : undefined;
      if (!link) return send(404, {});
      const inactive =
        link.remaining <= 0 || (link.expiresAt !== undefined && link.expiresAt * 1000 < Date.now());
      if (inactive) return send(404, {});
      if (request.method === 'GET' && link.direct) return send(200, link.jwe, 'application/jose');
      const input = await body(request);
      if (link.passcode !== undefined && input.passcode !== link.passcode) {
        if (input.passcode !== undefined) link.remaining -= 1;
        return send(401, { remainingAttempts: link.remaining });
      }
      return send(200, {
        status: link.longTerm ? 'can-change' : 'finalized',
        files: [{ contentType: link.contentType, embedded: link.jwe, lastUpdated: link.lastUpdated }],
      });
    } catch (error) {
      return send(500, { error: String(error) });
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, close: () => new Promise<void>((done) => server.close(() => done())) };
};
