import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { openDatabase } from '../src/db/open-database.js';
import type { Database } from '../src/db/schema.js';
import { DOCS_CSP, HSTS } from '../src/http/security-headers.js';
import { API_KEY, AUTH } from './support/test-app.js';

/**
 * One request of every class of answer the server gives, and the headers each must carry. Headers do
 * not depend on the database, so PGlite is enough here.
 */
interface Case {
  name: string;
  request: InjectOptions;
  status: number;
  /** Carries links, keys, tokens, recipient names or health data: `Cache-Control: no-store`. */
  private: boolean;
  csp?: string;
}

const LINK_ID_UNKNOWN = 'u'.repeat(43);

const headersOf = (raw: string): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const line of raw.split('\r\n\r\n')[0]?.split('\r\n').slice(1) ?? []) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
};

/** Writes raw bytes to the listening server and returns what came back before it closed the socket. */
const rawExchange = (port: number, bytes: string): Promise<string> =>
  new Promise((resolve) => {
    let received = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
    setTimeout(() => socket.destroy(), 5000);
  });

describe.each([
  { base: 'https://shl.example.org', hsts: true },
  { base: 'http://shl.example.org', hsts: false },
])('security headers with PUBLIC_BASE_URL=$base', ({ base, hsts }) => {
  let dir: string;
  let db: Database;
  let app: FastifyInstance;
  let port: number;
  let cases: Case[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shlkit-headers-'));
    for (const page of ['viewer', 'admin']) {
      mkdirSync(join(dir, page, 'assets'), { recursive: true });
      writeFileSync(join(dir, page, 'index.html'), `<!doctype html><title>${page}</title>`);
      writeFileSync(join(dir, page, 'assets', 'app.js'), 'console.log(1)');
    }
    const config = loadConfig({
      DATA_DIR: 'memory://',
      PUBLIC_BASE_URL: base,
      SHL_API_KEY: API_KEY,
      SHL_DEMO: 'false',
      VIEWER_DIR: join(dir, 'viewer'),
      ADMIN_DIR: join(dir, 'admin'),
      SHL_RATE_LIMIT_PUBLIC: '30',
    });
    db = await openDatabase(config);
    await migrateToLatest(db);
    ({ app } = await createApp({ config, db, keyEncryptionKey: new Uint8Array(randomBytes(32)) }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    const link = (
      await app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: { resourceType: 'Patient' }, label: 'headers' },
      })
    ).json();
    const direct = (
      await app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: { resourceType: 'Patient' }, direct: true },
      })
    ).json();
    const manifest = { recipient: 'Dr. Header' };
    cases = [
      { name: 'API answer', request: { url: '/api/links', headers: AUTH }, status: 200, private: true },
      {
        name: 'API 201',
        request: { method: 'POST', url: '/api/keys', headers: AUTH, payload: { name: 'k' } },
        status: 201,
        private: true,
      },
      { name: 'API error 401', request: { url: '/api/links' }, status: 401, private: true },
      {
        name: 'API validation 400',
        request: { method: 'POST', url: '/api/links', headers: AUTH, payload: { content: 7 } },
        status: 400,
        private: true,
      },
      {
        name: 'bad JSON 400',
        request: {
          method: 'POST',
          url: '/api/links',
          headers: { ...AUTH, 'content-type': 'application/json' },
          payload: '{',
        },
        status: 400,
        private: true,
      },
      {
        name: 'framework error (bad URL encoding)',
        request: { url: '/shl/%zz' },
        status: 400,
        private: true,
      },
      { name: 'unknown API route 404', request: { url: '/api/nothing-here' }, status: 404, private: true },
      { name: 'unknown route 404', request: { url: '/nothing-here' }, status: 404, private: false },
      {
        name: 'manifest 200',
        request: { method: 'POST', url: `/shl/${link.id}`, payload: manifest },
        status: 200,
        private: true,
      },
      {
        name: 'manifest 404',
        request: { method: 'POST', url: `/shl/${LINK_ID_UNKNOWN}`, payload: manifest },
        status: 404,
        private: true,
      },
      {
        name: 'direct file 200',
        request: { url: `/shl/${direct.id}?recipient=Dr.%20Header` },
        status: 200,
        private: true,
      },
      {
        name: 'CORS preflight',
        request: { method: 'OPTIONS', url: `/shl/${link.id}` },
        status: 204,
        private: true,
      },
      {
        name: 'QR image',
        request: { url: `/api/links/${link.id}/qr.png`, headers: AUTH },
        status: 200,
        private: true,
      },
      { name: 'health', request: { url: '/healthz' }, status: 200, private: false },
      { name: 'OpenAPI document', request: { url: '/openapi.json' }, status: 200, private: false },
      {
        name: 'docs page without slash',
        request: { url: '/docs' },
        status: 200,
        private: false,
        csp: DOCS_CSP,
      },
      { name: 'docs page', request: { url: '/docs/' }, status: 200, private: false, csp: DOCS_CSP },
      {
        name: 'docs asset',
        request: { url: '/docs/static/swagger-ui.css' },
        status: 200,
        private: false,
        csp: DOCS_CSP,
      },
      { name: 'viewer page', request: { url: '/view/' }, status: 200, private: false },
      { name: 'viewer asset', request: { url: '/view/assets/app.js' }, status: 200, private: false },
      { name: 'admin page', request: { url: '/admin/links' }, status: 200, private: false },
      {
        name: 'admin missing asset 404',
        request: { url: '/admin/assets/gone.js' },
        status: 404,
        private: false,
      },
      { name: 'site root redirect', request: { url: '/' }, status: 302, private: false },
      { name: 'favicon', request: { url: '/favicon.ico' }, status: 200, private: false },
    ];
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectSecurityHeaders = (headers: Record<string, unknown>, private_: boolean, label: string) => {
    expect(headers['x-content-type-options'], label).toBe('nosniff');
    expect(headers['referrer-policy'], label).toBe('no-referrer');
    expect(String(headers['content-security-policy']), label).toContain("frame-ancestors 'none'");
    if (private_) expect(headers['cache-control'], label).toBe('no-store');
  };

  it('sets nosniff, no-referrer, frame-ancestors, no-store and HSTS on every class of answer', async () => {
    expect(cases.length).toBeGreaterThan(20);
    for (const { name, request, status, private: private_, csp } of cases) {
      const res = await app.inject(request);
      expect(res.statusCode, name).toBe(status);
      expectSecurityHeaders(res.headers, private_, name);
      if (csp !== undefined) expect(res.headers['content-security-policy'], name).toBe(csp);
      expect(res.headers['strict-transport-security'], name).toBe(hsts ? HSTS : undefined);
    }
  });

  it('answers a 429 with the same headers', async () => {
    let res = await app.inject({
      method: 'POST',
      url: `/shl/${LINK_ID_UNKNOWN}`,
      payload: { recipient: 'x' },
    });
    // The budget is 30 per fixed 60 s window: 100 tries reach a 429 even when a loaded machine makes
    // them straddle a window's end, which starts the count again.
    for (let i = 0; i < 100 && res.statusCode !== 429; i++) {
      res = await app.inject({ method: 'POST', url: `/shl/${LINK_ID_UNKNOWN}`, payload: { recipient: 'x' } });
    }
    expect(res.statusCode).toBe(429);
    expectSecurityHeaders(res.headers, true, '429');
  });

  it('sets them on the access stream, which is written by hand', async () => {
    const link = (
      await app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: { resourceType: 'Patient' } },
      })
    ).json();
    const stop = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/links/${link.id}/accesses/stream`, {
      headers: AUTH,
      signal: stop.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    expectSecurityHeaders(headers, true, 'access stream');
    expect(res.headers.get('strict-transport-security') ?? undefined).toBe(hsts ? HSTS : undefined);
    stop.abort();
  });

  it('sets them on answers written outside Fastify: a request Node cannot parse, an unknown Expect', async () => {
    const unparsable = await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(unparsable).toMatch(/^HTTP\/1\.1 400/);
    expectSecurityHeaders(headersOf(unparsable), true, 'parse error');
    const expectation = await rawExchange(
      port,
      'GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nConnection: close\r\n\r\n',
    );
    expect(expectation).toMatch(/^HTTP\/1\.1 417/);
    expectSecurityHeaders(headersOf(expectation), true, 'expectation failed');
  });
});
