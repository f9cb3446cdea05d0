import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { describeServerSuite } from './server-suite.js';

const adminUrl = process.env.TEST_DATABASE_URL;

if (adminUrl === undefined || adminUrl === '') {
  if (process.env.CI === 'true') {
    describe('shlkit against a real server on PostgreSQL', () => {
      it('needs TEST_DATABASE_URL under CI', () => {
        throw new Error('TEST_DATABASE_URL is not set: CI must run the PostgreSQL suite, not skip it');
      });
    });
  } else {
    console.warn('cli: TEST_DATABASE_URL is not set; skipping the PostgreSQL suite');
    describe.skip('shlkit against a real server on PostgreSQL (TEST_DATABASE_URL unset)', () => {
      it('needs TEST_DATABASE_URL', () => {});
    });
  }
} else {
  // A database of its own, created and dropped here, so that suites running in parallel never meet.
  describeServerSuite('PostgreSQL', async () => {
    const name = `shlkit_cli_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.href, SHL_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url') },
      drop: async () => {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  });
}
