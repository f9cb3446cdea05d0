import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../../test-support/chromium.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { openDatabase } from '../src/db/open-database.js';
import type { Database } from '../src/db/schema.js';

/** /docs carries a CSP of its own (`DOCS_CSP`); Swagger UI must still work under it, in a real browser. */
describe.runIf(chromiumAvailable('the /docs CSP test'))('Swagger UI at /docs under its CSP', () => {
  let db: Database;
  let app: FastifyInstance;
  let browser: Browser;
  let url = '';
  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: 'memory://', PORT: '0', SHL_DEMO: 'false' });
    db = await openDatabase(config);
    await migrateToLatest(db);
    ({ app } = await createApp({
      config,
      db,
      keyEncryptionKey: new Uint8Array(randomBytes(32)),
      publicBaseUrl: () => url,
    }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.destroy();
  });

  it('renders every operation and opens one, with no CSP violation or script error', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) {
        problems.push(message.text());
      }
    });
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.goto(`${url}/docs/`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    await page.locator('.opblock-summary').first().click();
    await page.waitForSelector('.opblock-body', { timeout: 10_000 });
    expect(problems).toEqual([]);
  }, 60_000);
});
