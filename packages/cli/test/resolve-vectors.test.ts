import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeShlink, generateShlId } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, samplePath, shlkit } from './harness.js';
import { closedPort, type StaticServer, startStaticServer } from './static-server.js';

// The SHL spec's encryption example, published behind a direct-file (U) link on a local server.
const SPEC_KEY = 'rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q';
const specJwe = await readFile(samplePath('shl-vectors/spec-example-encrypted-shc.jwe.txt'), 'utf8');
const specPlaintext = await readFile(
  samplePath('shl-vectors/spec-example-encrypted-shc.decrypted.smart-health-card'),
);
const signedNotEncrypted = await readFile(samplePath('shl-vectors/CARIN_INS_CD-bundle-01-enc.txt'), 'utf8');

const fileId = generateShlId();
const jwsId = generateShlId();
let server: StaticServer;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let link: string;

beforeAll(async () => {
  // SHL: receivers must not reject a direct file for its content type; the IG's own example is text/plain.
  server = await startStaticServer({
    [`/${fileId}`]: { body: specJwe, contentType: 'text/plain' },
    [`/${jwsId}`]: { body: signedNotEncrypted, contentType: 'application/jose' },
  });
  temp = await makeTempDir();
  link = encodeShlink({ url: `${server.url}/${fileId}`, key: SPEC_KEY, flag: 'U' });
});
afterAll(async () => {
  await server.close();
  await temp.remove();
});

describe('shlkit resolve against the spec vectors', () => {
  it("decrypts the spec's encryption example byte for byte and names the file .smart-health-card", async () => {
    const result = await shlkit(
      ['resolve', link, '--allow-insecure-network', '--out', 'received', '--recipient', 'Dr. Test'],
      {
        cwd: temp.path,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const saved = join(temp.path, 'received', '1.smart-health-card');
    expect(result.stdout).toContain(`application/smart-health-card SMART Health Card, 1 credential(s)`);
    expect(result.stdout).toContain(`-> ${saved}`);
    expect(await readFile(saved)).toEqual(specPlaintext);
    // SHL: a U link is fetched by GET with the recipient in the query, never POSTed.
    expect(server.requests.at(-1)).toBe(`GET /${fileId}?recipient=Dr.+Test`);
  });

  it('--json prints the decrypted document, without the key', async () => {
    const result = await shlkit(['resolve', link, '--allow-insecure-network', '--json']);
    expect(result.code).toBe(0);
    const json = result.json<{
      payload: Record<string, unknown>;
      files: { contentType: string; json: unknown }[];
    }>();
    expect(json.payload).toEqual({ url: `${server.url}/${fileId}`, flag: 'U' });
    expect(json.files).toHaveLength(1);
    expect(json.files[0]?.json).toEqual(JSON.parse(specPlaintext.toString('utf8')));
    expect(result.stdout).not.toContain(SPEC_KEY);
  });

  it('refuses http and loopback addresses unless --allow-insecure-network is given (exit 5)', async () => {
    const result = await shlkit(['resolve', link]);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('--allow-insecure-network');
    const json = await shlkit(['resolve', link, '--json']);
    expect(json.error()).toMatchObject({ code: 'SHL_BLOCKED_ADDRESS', exitCode: 5 });
    expect(server.requests.filter((request) => request.includes('recipient=shlkit')).length).toBe(1);
  });

  it('a server that is down is a network error (exit 5) that says to check the connection', async () => {
    const port = await closedPort();
    const down = encodeShlink({ url: `http://127.0.0.1:${port}/${fileId}`, key: SPEC_KEY, flag: 'U' });
    const result = await shlkit(['resolve', down, '--allow-insecure-network', '--json']);
    expect(result.code).toBe(5);
    expect(result.error()).toMatchObject({
      code: 'SHL_NETWORK_ERROR',
      hint: 'Check the network connection and that the server in the link is up.',
    });
  });

  it('an unknown file is an inactive link (exit 3) with advice to ask for a new one', async () => {
    const gone = encodeShlink({ url: `${server.url}/${generateShlId()}`, key: SPEC_KEY, flag: 'U' });
    const result = await shlkit(['resolve', gone, '--allow-insecure-network']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Ask the sender for a new link.');
  });

  it('the wrong key is a format error (exit 6) that suspects a cut link', async () => {
    const wrongKey = encodeShlink({
      url: `${server.url}/${fileId}`,
      key: SPEC_KEY.replace('rx', 'xr'),
      flag: 'U',
    });
    const result = await shlkit(['resolve', wrongKey, '--allow-insecure-network', '--json']);
    expect(result.code).toBe(6);
    expect(result.error()).toMatchObject({ code: 'SHL_DECRYPT_FAILED', exitCode: 6 });
  });

  it('a signed JWS published as a link file is refused as a format error (exit 6)', async () => {
    const jws = encodeShlink({ url: `${server.url}/${jwsId}`, key: SPEC_KEY, flag: 'U' });
    const result = await shlkit(['resolve', jws, '--allow-insecure-network']);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/JWS|JWE/);
  });

  it('an invalid link is refused before any request (exit 6)', async () => {
    const before = server.requests.length;
    const result = await shlkit([
      'resolve',
      'shlink:/eyJ1cmwiOiJodHRwczovL3gifQ',
      '--allow-insecure-network',
    ]);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain('shlkit inspect LINK');
    expect(server.requests.length).toBe(before);
  });
});
