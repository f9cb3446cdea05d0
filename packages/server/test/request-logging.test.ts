import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { openDatabase } from '../src/db/open-database.js';
import type { Database } from '../src/db/schema.js';
import { API_KEY, AUTH } from './support/test-app.js';

describe('request logs', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  let db: Database;
  let app: Awaited<ReturnType<typeof createApp>>['app'];
  beforeAll(async () => {
    const config = loadConfig({
      DATA_DIR: 'memory://',
      PUBLIC_BASE_URL: 'https://shl.example.org',
      SHL_API_KEY: API_KEY,
      SHL_DEMO: 'false',
    });
    db = await openDatabase(config);
    await migrateToLatest(db);
    ({ app } = await createApp({
      config,
      db,
      logger: pino({ level: 'info' }, sink),
      keyEncryptionKey: new Uint8Array(randomBytes(32)),
    }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it('name the path but never the query, where tickets and recipient names travel', async () => {
    const link = (
      await app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: { resourceType: 'Patient' }, direct: true },
      })
    ).json();
    const ticket = 'T'.repeat(43);
    await app.inject({ url: `/shl/${link.id}/files/abc?ticket=${ticket}` });
    await app.inject({ url: `/shl/${link.id}?recipient=Dr.%20Secret%20Name` });
    const log = lines.join('');
    expect(log).toContain(`/shl/${link.id}/files/abc`);
    expect(log).not.toContain(ticket);
    expect(log).not.toContain('Secret');
    expect(log).not.toContain(API_KEY);
  });
});
