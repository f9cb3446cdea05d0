import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CSP } from '../src/admin-hosting/admin-hosting.js';
import { testDatabases } from './support/databases.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const [pglite] = testDatabases();
if (pglite === undefined) throw new Error('no database');

describe('admin app hosting', () => {
  let dir: string;
  let built: TestApp;
  let missing: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shlkit-admin-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>admin</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    built = await startTestApp(pglite, { ADMIN_DIR: dir });
    missing = await startTestApp(pglite, { ADMIN_DIR: join(dir, 'nope') });
  });
  afterAll(async () => {
    await built?.close();
    await missing?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page at /admin, /admin/ and every app path, never cached, with a strict CSP', async () => {
    for (const url of ['/admin', '/admin/', '/admin/new', '/admin/links/abc?x=1']) {
      const res = await built.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>admin</title>');
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['content-security-policy']).toBe(ADMIN_CSP);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(ADMIN_CSP).toContain("default-src 'self'");
    expect(ADMIN_CSP).toContain("frame-ancestors 'none'");
  });

  it('serves assets as files and answers a missing asset 404, not the page', async () => {
    const asset = await built.app.inject({ url: '/admin/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['content-security-policy']).toBe(ADMIN_CSP);
    const gone = await built.app.inject({ url: '/admin/assets/old.js' });
    expect(gone.statusCode).toBe(404);
    expect(gone.body).not.toContain('<title>admin</title>');
  });

  it('answers 503 with a page saying how to build the app when it is missing', async () => {
    const res = await missing.app.inject({ url: '/admin/links' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build -w @shlkit/admin');
    expect(res.headers['content-security-policy']).toBe(ADMIN_CSP);
  });
});
