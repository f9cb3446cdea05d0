import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeShlink } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { VIEWER_CSP } from '../src/viewer-hosting/viewer-hosting.js';
import { testDatabases } from './support/databases.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const [pglite] = testDatabases();
if (pglite === undefined) throw new Error('no database');

describe('viewer hosting, OpenAPI and docs', () => {
  let dir: string;
  let built: TestApp;
  let missing: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shlkit-viewer-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>viewer</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
    built = await startTestApp(pglite, { VIEWER_DIR: dir });
    missing = await startTestApp(pglite, { VIEWER_DIR: join(dir, 'nope') });
  });
  afterAll(async () => {
    await built?.close();
    await missing?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the viewer at /view and /view/ with a strict CSP and no referrer', async () => {
    for (const url of ['/view', '/view/']) {
      const res = await built.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>viewer</title>');
      expect(res.headers['content-security-policy']).toBe(VIEWER_CSP);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    expect(VIEWER_CSP).toContain("script-src 'self'");
    expect(VIEWER_CSP).toContain('connect-src *');
    expect(VIEWER_CSP).toContain("frame-ancestors 'none'");
    const asset = await built.app.inject({ url: '/view/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-security-policy']).toBe(VIEWER_CSP);
  });

  it('lets the service worker at /view/sw.js control /view, the address QR codes open', async () => {
    const worker = await built.app.inject({ url: '/view/sw.js' });
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['service-worker-allowed']).toBe('/view');
    const asset = await built.app.inject({ url: '/view/assets/app.js' });
    expect(asset.headers['service-worker-allowed']).toBeUndefined();
  });

  it('answers 503 with a page saying how to build the viewer when it is missing', async () => {
    const res = await missing.app.inject({ url: '/view/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build -w @shlkit/viewer');
  });

  it('sends a browser that opens / to the viewer with a 302, built or not', async () => {
    for (const app of [built.app, missing.app]) {
      const res = await app.inject({ url: '/' });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/view/');
    }
    const viewer = await built.app.inject({ url: '/view/' });
    expect(viewer.statusCode).toBe(200);
  });

  it('serves /favicon.ico as an icon (one 32x32 PNG in an ICO), not the JSON 404', async () => {
    for (const app of [built.app, missing.app]) {
      const res = await app.inject({ url: '/favicon.ico' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/x-icon');
      expect(res.headers['cache-control']).toBe('public, max-age=86400');
      const ico = res.rawPayload;
      // ICONDIR: reserved 0, type 1 (icon), one image; its entry is 32x32 and points at a PNG.
      expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 1]);
      expect([ico[6], ico[7]]).toEqual([32, 32]);
      const offset = ico.readUInt32LE(18);
      expect(ico.readUInt32LE(14)).toBe(ico.length - offset);
      expect(ico.subarray(offset, offset + 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
    }
    const head = await built.app.inject({ method: 'HEAD', url: '/favicon.ico' });
    expect(head.statusCode).toBe(200);
  });

  it('leaves / and /favicon.ico out of the OpenAPI document', async () => {
    const spec = (await built.app.inject({ url: '/openapi.json' })).json();
    expect(spec.paths['/']).toBeUndefined();
    expect(spec.paths['/favicon.ico']).toBeUndefined();
  });

  it('documents every management and public route at /openapi.json and serves /docs', async () => {
    const spec = (await built.app.inject({ url: '/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/links',
      '/api/links/{id}',
      '/api/links/{id}/files',
      '/api/links/{id}/accesses',
      '/api/links/{id}/qr.png',
      '/api/links/{id}/qr.svg',
      '/api/keys',
      '/api/keys/{id}',
      '/shl/{id}',
      '/shl/{id}/files/{fileId}',
      '/healthz',
    ]) {
      expect(spec.paths[path], path).toBeDefined();
    }
    expect(
      spec.paths['/api/links'].post.requestBody.content['application/json'].schema.properties.passcode,
    ).toBeDefined();
    const docs = await built.app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});

describe('first start', () => {
  it('shares one demo link on the first start of an empty embedded database, and not again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shlkit-data-'));
    try {
      const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir };
      const first = await startServer({ config: loadConfig(env), bootstrapApiKey: true });
      try {
        expect(first.demo?.viewerUrl).toMatch(new RegExp(`^${first.url}/view#shlink:/`));
        expect(first.firstApiKey?.token).toMatch(/^shlk_/);
        const payload = decodeShlink(first.demo?.viewerUrl ?? '');
        const manifest = await fetch(payload.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ recipient: 'newcomer' }),
        });
        expect(manifest.status).toBe(200);
        const links = await fetch(`${first.url}/api/links`, {
          headers: { authorization: `Bearer ${first.firstApiKey?.token}` },
        });
        expect(((await links.json()) as { links: unknown[] }).links).toHaveLength(1);
      } finally {
        await first.close();
      }
      const second = await startServer({ config: loadConfig(env), bootstrapApiKey: true });
      try {
        expect(second.demo).toBeUndefined();
        expect(second.firstApiKey).toBeUndefined();
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('does not share a demo link with SHL_DEMO=false', async () => {
    const server = await startServer({
      config: loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', SHL_DEMO: 'false' }),
    });
    try {
      expect(server.demo).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('fails to start, and cleans up, when the database cannot be reached', async () => {
    await expect(
      startServer({
        config: loadConfig({
          PORT: '0',
          DATABASE_URL: 'postgres://nobody:secretpw@127.0.0.1:1/none',
          SHL_KEY_ENCRYPTION_KEY: 'A'.repeat(43),
        }),
      }),
    ).rejects.toMatchObject({ code: 'SHL_INTERNAL', cause: { code: 'ECONNREFUSED' } });
  });
});
