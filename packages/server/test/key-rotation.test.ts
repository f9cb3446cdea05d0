import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createKeyWrapper, kekId } from '../src/key-wrapping/key-wrapper.js';
import { loadKeyRing } from '../src/key-wrapping/load-kek.js';
import { rewrapLinkKeys } from '../src/key-wrapping/rewrap-link-keys.js';
import { cryptoRandom } from '../src/random.js';
import { startServer } from '../src/server.js';
import { testDatabases } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const newKek = (): Uint8Array => new Uint8Array(randomBytes(32));
const text = (kek: Uint8Array): string => Buffer.from(kek).toString('base64url');

describe.each(testDatabases())('key-encryption key rotation on %s', (target) => {
  const oldKek = newKek();
  const nextKek = newKek();
  let t: TestApp;
  const before = new Map<string, string>();

  const appWith = async (ring: Parameters<typeof createKeyWrapper>[0]) => {
    const { app } = await createApp({ config: t.config, db: t.db, clock: t.clock, keyEncryptionKey: ring });
    await app.ready();
    return app;
  };

  beforeAll(async () => {
    t = await startTestApp(target, {}, { keyEncryptionKey: oldKek });
    for (const label of ['one', 'two', 'three']) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { label, content: { resourceType: 'Patient', id: label } },
      });
      expect(created.statusCode).toBe(201);
      const link = created.json<{ id: string; shlink: string }>();
      before.set(link.id, link.shlink);
    }
  });
  afterAll(() => t?.close());

  it('serves every link while rotating: a server holding both keys reads old rows and wraps new ones under the new key', async () => {
    const both = await appWith({ current: nextKek, previous: [oldKek] });
    try {
      for (const [id, shlink] of before) {
        const read = await both.inject({ url: `/api/links/${id}`, headers: AUTH });
        expect(read.statusCode).toBe(200);
        expect(read.json<{ shlink: string }>().shlink).toBe(shlink);
      }
      const created = await both.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { label: 'during', content: { resourceType: 'Patient' } },
      });
      expect(created.statusCode).toBe(201);
      const link = created.json<{ id: string; shlink: string }>();
      before.set(link.id, link.shlink);
      const row = await t.db
        .selectFrom('shl_links')
        .select('wrapped_key')
        .where('id', '=', link.id)
        .executeTakeFirstOrThrow();
      expect(row.wrapped_key?.split('.')[1]).toBe(kekId(nextKek));
    } finally {
      await both.close();
    }
  });

  it('re-wraps every link key under the new key, once, leaving ids, URLs and link keys as they were', async () => {
    const keys = createKeyWrapper({ current: nextKek, previous: [oldKek] }, cryptoRandom);
    const first = await rewrapLinkKeys(t.db, keys, { batchSize: 2 });
    expect(first).toEqual({ rewrapped: 3, alreadyCurrent: 1, failed: [] });
    const again = await rewrapLinkKeys(t.db, keys);
    expect(again).toEqual({ rewrapped: 0, alreadyCurrent: 4, failed: [] });

    const onlyNew = await appWith(nextKek);
    try {
      for (const [id, shlink] of before) {
        const read = await onlyNew.inject({ url: `/api/links/${id}`, headers: AUTH });
        expect(read.statusCode).toBe(200);
        expect(read.json<{ shlink: string }>().shlink).toBe(shlink);
        const manifest = await onlyNew.inject({
          method: 'POST',
          url: `/shl/${id}`,
          payload: { recipient: 'after rotation' },
        });
        expect(manifest.statusCode).toBe(200);
      }
    } finally {
      await onlyNew.close();
    }
  });

  it('leaves no row that the old key alone decrypts', async () => {
    const old = createKeyWrapper(oldKek, cryptoRandom);
    const rows = await t.db.selectFrom('shl_links').select(['id', 'wrapped_key']).execute();
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(() => old.unwrap(row.id, row.wrapped_key ?? '')).toThrow(
        expect.objectContaining({ code: 'SHL_KEY_UNWRAP_FAILED' }),
      );
    }
    const oldOnly = await appWith(oldKek);
    try {
      const [id] = before.keys();
      const read = await oldOnly.inject({ url: `/api/links/${id}`, headers: AUTH });
      expect(read.statusCode).toBe(500);
      expect(read.json()).toMatchObject({ error: { code: 'SHL_KEY_UNWRAP_FAILED' } });
    } finally {
      await oldOnly.close();
    }
  });

  it('reports the links whose key no key of the ring unwraps, and leaves them', async () => {
    const stranger = createKeyWrapper({ current: newKek() }, cryptoRandom);
    const report = await rewrapLinkKeys(t.db, stranger);
    expect(report.rewrapped).toBe(0);
    expect(report.failed).toHaveLength(4);
    expect(new Set(report.failed.map((failure) => failure.kekId))).toEqual(new Set([kekId(nextKek)]));
  });
});

describe('where the key-encryption key comes from', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'shlkit-kek-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start on PostgreSQL without a key, naming SHL_KEY_ENCRYPTION_KEY, before connecting', async () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: 'postgres://nobody:pw@127.0.0.1:1/none' });
    await expect(startServer({ config })).rejects.toMatchObject({
      code: 'SHL_CONFIG_INVALID',
      field: 'SHL_KEY_ENCRYPTION_KEY',
      message: expect.stringContaining('DATABASE_URL'),
    });
  });

  it('reads the key from SHL_KEY_ENCRYPTION_KEY_FILE outside DATA_DIR', () => {
    const kek = newKek();
    const file = join(tempDir(), 'kek');
    writeFileSync(file, `${text(kek)}\n`);
    const loaded = loadKeyRing(
      loadConfig({ DATA_DIR: tempDir(), SHL_KEY_ENCRYPTION_KEY_FILE: file }),
      cryptoRandom,
    );
    expect(loaded).toMatchObject({ source: 'file', file, generated: false });
    expect(Buffer.from(loaded.ring.current).equals(Buffer.from(kek))).toBe(true);
  });

  it('refuses a key file inside DATA_DIR, a malformed one, and a key given twice', () => {
    const dataDir = tempDir();
    const inside = join(dataDir, 'kek');
    writeFileSync(inside, text(newKek()));
    const bad = join(tempDir(), 'kek');
    writeFileSync(bad, 'not a key');
    expect(() =>
      loadKeyRing(loadConfig({ DATA_DIR: dataDir, SHL_KEY_ENCRYPTION_KEY_FILE: inside }), cryptoRandom),
    ).toThrow(expect.objectContaining({ code: 'SHL_CONFIG_INVALID', field: 'SHL_KEY_ENCRYPTION_KEY_FILE' }));
    expect(() =>
      loadKeyRing(loadConfig({ DATA_DIR: dataDir, SHL_KEY_ENCRYPTION_KEY_FILE: bad }), cryptoRandom),
    ).toThrow(expect.objectContaining({ code: 'SHL_CONFIG_INVALID', field: 'SHL_KEY_ENCRYPTION_KEY_FILE' }));
    expect(() =>
      loadConfig({ SHL_KEY_ENCRYPTION_KEY: text(newKek()), SHL_KEY_ENCRYPTION_KEY_FILE: bad }),
    ).toThrow(expect.objectContaining({ code: 'SHL_CONFIG_INVALID', field: 'SHL_KEY_ENCRYPTION_KEY_FILE' }));
  });

  it('generates a key into DATA_DIR only in embedded mode, and says so at every start', async () => {
    const dataDir = tempDir();
    const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SHL_DEMO: 'false' };
    const first = await startServer({ config: loadConfig(env) });
    await first.close();
    const second = await startServer({ config: loadConfig(env) });
    await second.close();
    expect(first.keyEncryptionKey).toEqual({
      source: 'data-dir',
      file: join(dataDir, 'key-encryption-key'),
      generated: true,
    });
    expect(second.keyEncryptionKey).toMatchObject({ source: 'data-dir', generated: false });
  });
});
