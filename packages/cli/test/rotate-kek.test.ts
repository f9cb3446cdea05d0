import { randomBytes } from 'node:crypto';
import { loadConfig, startServer } from '@shlkit/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, shlkit } from './harness.js';

const API_KEY = 'rotate-kek-test-api-key-0123';
const key = (): string => randomBytes(32).toString('base64url');

describe('shlkit rotate-kek on the embedded database', () => {
  const oldKek = key();
  const newKek = key();
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let linkId = '';
  let linkKey = '';

  const withServer = async <T>(kek: string, work: (url: string) => Promise<T>): Promise<T> => {
    const server = await startServer({
      config: loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dir.path,
        SHL_DEMO: 'false',
        SHL_API_KEY: API_KEY,
        SHL_KEY_ENCRYPTION_KEY: kek,
      }),
    });
    try {
      return await work(server.url);
    } finally {
      await server.close();
    }
  };
  const readLink = (url: string) =>
    fetch(`${url}/api/links/${linkId}`, { headers: { authorization: `Bearer ${API_KEY}` } });

  beforeAll(async () => {
    dir = await makeTempDir();
    await withServer(oldKek, async (url) => {
      const created = await fetch(`${url}/api/links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: { resourceType: 'Patient' } }),
      });
      expect(created.status).toBe(201);
      const link = (await created.json()) as { id: string; payload: { key: string } };
      linkId = link.id;
      linkKey = link.payload.key;
    });
  }, 120_000);
  afterAll(() => dir?.remove());

  it('asks for the new key when none is given', async () => {
    const result = await shlkit(['rotate-kek', '--json'], { env: { DATA_DIR: dir.path } });
    expect(result.code).toBe(2);
    expect(result.error()).toMatchObject({ code: 'CLI_USAGE' });
  });

  it('reports the links it cannot unwrap, and changes nothing, without the old key', async () => {
    const result = await shlkit(['rotate-kek', '--json'], {
      env: { DATA_DIR: dir.path, SHL_KEY_ENCRYPTION_KEY: newKek },
    });
    expect(result.code).toBe(7);
    expect(result.error()).toMatchObject({ code: 'SHL_KEY_UNWRAP_FAILED', failed: [{ linkId }] });
  }, 60_000);

  it('re-wraps every link key under the new key; the link is the same afterwards with the new key alone', async () => {
    const env = {
      DATA_DIR: dir.path,
      SHL_KEY_ENCRYPTION_KEY: newKek,
      SHL_KEY_ENCRYPTION_KEY_PREVIOUS: oldKek,
    };
    const first = await shlkit(['rotate-kek', '--json'], { env });
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ rewrapped: 1, alreadyCurrent: 0, failed: [] });
    const again = await shlkit(['rotate-kek', '--json'], { env });
    expect(again.json()).toMatchObject({ rewrapped: 0, alreadyCurrent: 1 });

    await withServer(newKek, async (url) => {
      const read = await readLink(url);
      expect(read.status).toBe(200);
      // Same id, same link key (the URL's port differs from start to start: PORT=0).
      expect(((await read.json()) as { payload: { key: string } }).payload.key).toBe(linkKey);
    });
    await withServer(oldKek, async (url) => {
      const read = await readLink(url);
      expect(read.status).toBe(500);
      expect(await read.json()).toMatchObject({ error: { code: 'SHL_KEY_UNWRAP_FAILED' } });
    });
  }, 180_000);
});
