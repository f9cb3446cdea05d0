import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { decodeShlink } from '@shlkit/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { openDatabase } from '../src/db/open-database.js';
import type { Database } from '../src/db/schema.js';
import { createLogger } from '../src/logging/create-logger.js';
import { testDatabases } from './support/databases.js';
import { API_KEY, AUTH, BASE } from './support/test-app.js';

const PASSCODE = 'passcode-never-logged';
const LABEL = 'Label never logged';
const RECIPIENT = 'Dr. Recipient Never Logged';
const PATIENT = 'Patient Name Never Logged';
const FAULT_RECIPIENT = 'Dr. Fault Recipient Never Logged';
const FAULT_LABEL = 'Fault label never logged';
/** The base64url of `{"alg":"dir"`: the start of every JWE this server makes. No log line may hold one. */
const JWE_START = 'eyJhbGciOiJkaXIi';

interface LogLine {
  level: number;
  reqId?: string;
  msg?: string;
  req?: { path?: string };
  err?: { code?: string; type?: string; message?: string };
}

/**
 * The logs of a whole link's life, database faults included, read back from the stream the logger writes
 * to: no secret or personal value appears in any line, and every line written while a request is in scope
 * names it.
 */
describe.each(testDatabases())('request logs on $name', (target) => {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  let db: Database;
  let app: Awaited<ReturnType<typeof createApp>>['app'];
  let drop: () => Promise<void>;
  const secrets: Record<string, string> = {
    passcode: PASSCODE,
    label: LABEL,
    recipient: RECIPIENT,
    patient: PATIENT,
    'fault recipient': FAULT_RECIPIENT,
    'fault label': FAULT_LABEL,
    'API key': API_KEY,
    JWE: JWE_START,
  };

  beforeAll(async () => {
    const created = await target.create();
    drop = created.drop;
    const config = loadConfig({
      ...created.env,
      PUBLIC_BASE_URL: BASE,
      SHL_API_KEY: API_KEY,
      SHL_DEMO: 'false',
      SHL_RATE_LIMIT: 'off',
      // Every file goes by `location` URL, so that a ticket travels in a query.
      SHL_EMBEDDED_LENGTH_MAX: '10',
    });
    db = await openDatabase(config);
    await migrateToLatest(db);
    ({ app } = await createApp({
      config,
      db,
      logger: createLogger({ level: 'info', destination: sink }),
      keyEncryptionKey: new Uint8Array(randomBytes(32)),
    }));
    await app.ready();

    // The cycle: create, resolve (a wrong passcode, then the right one), fetch the file by its ticket,
    // look at the link and its accesses, and revoke it.
    const content = { resourceType: 'Patient', name: [{ text: PATIENT }] };
    const link = (
      await app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content, label: LABEL, passcode: PASSCODE },
      })
    ).json();
    secrets['link id'] = link.id;
    secrets['link key'] = decodeShlink(link.shlink).key;
    const ask = (id: string, body: Record<string, string>) =>
      app.inject({ method: 'POST', url: `/shl/${id}`, payload: body });
    expect((await ask(link.id, { recipient: RECIPIENT, passcode: 'wrong guess' })).statusCode).toBe(401);
    const manifest = await ask(link.id, { recipient: RECIPIENT, passcode: PASSCODE });
    expect(manifest.statusCode).toBe(200);
    const location = new URL(manifest.json().files[0].location);
    secrets.ticket = location.searchParams.get('ticket') ?? '';
    const file = await app.inject({ url: `${location.pathname}${location.search}` });
    expect(file.statusCode).toBe(200);
    secrets.ciphertext = file.body.slice(100, 140);
    expect((await app.inject({ url: `/api/links/${link.id}`, headers: AUTH })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/links/${link.id}/accesses`, headers: AUTH })).statusCode).toBe(200);
    expect(
      (await app.inject({ url: `/shl/${link.id}?recipient=${encodeURIComponent(RECIPIENT)}` })).statusCode,
    ).toBe(404);

    // Database faults: a check constraint refuses one recipient's access-log row (PostgreSQL's error
    // then holds the failing row), and a trigger refuses one link's files (PGlite's held its parameters:
    // the whole encrypted file).
    const plain = (
      await app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: { content } })
    ).json();
    secrets['second link id'] = plain.id;
    await sql`alter table shl_access_log add constraint test_fault
      check (recipient is distinct from ${sql.lit(FAULT_RECIPIENT)})`.execute(db);
    await sql`create function test_fault() returns trigger language plpgsql as $$
      begin
        if (select label from shl_links where id = new.link_id) = ${sql.lit(FAULT_LABEL)} then
          raise exception 'test fault';
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger test_fault before insert on shl_files
      for each row execute function test_fault()`.execute(db);
    expect((await ask(plain.id, { recipient: FAULT_RECIPIENT })).statusCode).toBe(500);
    const refused = await app.inject({
      method: 'POST',
      url: '/api/links',
      headers: AUTH,
      payload: { content, label: FAULT_LABEL, passcode: PASSCODE },
    });
    expect(refused.statusCode).toBe(500);

    expect(
      (await app.inject({ method: 'DELETE', url: `/api/links/${link.id}`, headers: AUTH })).statusCode,
    ).toBe(204);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await drop?.();
  });

  const lines = (): LogLine[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as LogLine);

  it('logs both database faults, with their SQLSTATE', () => {
    const errors = lines().filter((line) => line.level >= 50);
    expect(errors.map((line) => line.err?.code).sort()).toEqual(['23514', 'P0001']);
  });

  it('never logs a link key, passcode, ticket, recipient, label, ciphertext or link id', () => {
    const log = chunks.join('');
    expect(log.length).toBeGreaterThan(1000);
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, name).toBeGreaterThan(8);
      expect(log.includes(value), `${name} appears in the log`).toBe(false);
    }
  });

  it('names paths by their route pattern', () => {
    const paths = new Set(
      lines()
        .map((line) => line.req?.path)
        .filter((path) => path !== undefined),
    );
    expect([...paths].sort()).toEqual(
      [
        '/api/links',
        '/api/links/:id',
        '/api/links/:id/accesses',
        '/shl/:id',
        '/shl/:id/files/:fileId',
      ].sort(),
    );
  });

  it('gives every line a request id', () => {
    const all = lines();
    expect(all.length).toBeGreaterThan(20);
    for (const line of all) expect(line.reqId, JSON.stringify(line)).toMatch(/^req-/);
  });
});
