import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isWithdrawn, resolve } from '../src/index.js';
import { assertWebCrypto } from '../src/resolve/web-crypto.js';
import { type HttpFixture, local, sendJson, sendText, startHttpFixture } from './http-fixture.js';
import { linkTo } from './links.js';
import { readSample } from '../../../test-support/samples.js';

// The manifest and location shapes that deployed servers send and that receivers got wrong (issue 11).
const specJwe = readSample('shl-vectors/spec-example-encrypted-shc.jwe.txt').trim();
const specPlaintext = readSample('shl-vectors/spec-example-encrypted-shc.decrypted.smart-health-card');
const SHC = 'application/smart-health-card';

let server: HttpFixture;
beforeAll(async () => {
  server = await startHttpFixture();
});
afterAll(() => server.close());

const requestsSince = (count: number) =>
  server.requests.slice(count).map((request) => `${request.method} ${request.path}`);

/** Serves `manifest` at `/m/<name>` and answers the resolved link. */
const resolveManifest = async (name: string, manifest: unknown) => {
  server.routes.set(`/m/${name}`, (_req, res) => sendJson(res, 200, manifest));
  return resolve(linkTo(`${server.origin}/m/${name}`, { flag: 'L' }), { recipient: 'r', ...local });
};

describe('withdrawn and unknown statuses', () => {
  it('keeps a manifest that says no-longer-valid, and calls it withdrawn', async () => {
    const resolved = await resolveManifest('withdrawn', {
      status: 'no-longer-valid',
      files: [{ contentType: SHC, embedded: specJwe }],
    });
    expect(resolved.status).toBe('no-longer-valid');
    expect(resolved.files[0]?.text).toBe(specPlaintext);
    expect(isWithdrawn(resolved)).toBe(true);
  });

  it.each(['no-longer-valid', 'entered-in-error', 'retracted'])(
    'keeps a file status %s of a ballot-draft server on the file, and calls the link withdrawn',
    async (status) => {
      const resolved = await resolveManifest(`file-${status}`, {
        status: 'can-change',
        files: [
          { contentType: SHC, embedded: specJwe, status: 'finalized' },
          { contentType: SHC, embedded: specJwe, status },
        ],
      });
      expect(resolved.files.map((file) => file.status)).toEqual(['finalized', status]);
      expect(isWithdrawn(resolved)).toBe(true);
    },
  );

  it('keeps statuses it does not know as they were sent, without calling them withdrawn', async () => {
    const resolved = await resolveManifest('unknown', {
      status: 'superseded',
      files: [{ contentType: SHC, embedded: specJwe, status: 'on-hold' }],
    });
    expect(resolved.status).toBe('superseded');
    expect(resolved.files[0]?.status).toBe('on-hold');
    expect(isWithdrawn(resolved)).toBe(false);
  });

  it('leaves status out when the server sent none', async () => {
    const resolved = await resolveManifest('plain', { files: [{ contentType: SHC, embedded: specJwe }] });
    expect(resolved.status).toBeUndefined();
    expect(resolved.files[0]).not.toHaveProperty('status');
    expect(isWithdrawn(resolved)).toBe(false);
  });

  it('answers an L link that has no files yet with an empty list and its status', async () => {
    const resolved = await resolveManifest('empty', { status: 'can-change', files: [] });
    expect(resolved).toMatchObject({ status: 'can-change', files: [] });
  });
});

describe('an expired location', () => {
  /** A manifest whose n-th answer names `/files/<name>-<n>`; `answer` decides what each location says. */
  const serveExpiring = (name: string, answer: (n: number, res: ServerResponse) => void) => {
    let manifests = 0;
    server.routes.set(`/m/${name}`, (_req, res) => {
      manifests += 1;
      sendJson(res, 200, {
        files: [{ contentType: SHC, location: `${server.origin}/files/${name}-${manifests}` }],
      });
    });
    for (const n of [1, 2, 3]) server.routes.set(`/files/${name}-${n}`, (_req, res) => answer(n, res));
    return linkTo(`${server.origin}/m/${name}`);
  };

  it.each([400, 401, 403, 404, 410, 451])(
    'answered %i gets the manifest again, once, and the new location is used',
    async (status) => {
      const link = serveExpiring(`expired-${status}`, (n, res) =>
        n === 1 ? res.writeHead(status).end() : sendText(res, 200, specJwe, 'application/jose'),
      );
      const before = server.requests.length;
      const resolved = await resolve(link, { recipient: 'r', ...local });
      expect(resolved.files[0]?.text).toBe(specPlaintext);
      expect(requestsSince(before)).toEqual([
        `POST /m/expired-${status}`,
        `GET /files/expired-${status}-1`,
        `POST /m/expired-${status}`,
        `GET /files/expired-${status}-2`,
      ]);
    },
  );

  it('answered 401 twice ends in SHL_NOT_FOUND after one new manifest, not a loop', async () => {
    const link = serveExpiring('always-401', (_n, res) => res.writeHead(401).end());
    const before = server.requests.length;
    await expect(resolve(link, { recipient: 'r', ...local })).rejects.toMatchObject({
      code: 'SHL_NOT_FOUND',
      status: 401,
    });
    expect(requestsSince(before).filter((request) => request.startsWith('POST'))).toHaveLength(2);
  });

  it('answered 429 is "slow down", not "gone": no new manifest, SHL_RATE_LIMITED', async () => {
    const link = serveExpiring('busy', (_n, res) => res.writeHead(429, { 'retry-after': '30' }).end());
    const before = server.requests.length;
    await expect(resolve(link, { recipient: 'r', ...local })).rejects.toMatchObject({
      code: 'SHL_RATE_LIMITED',
      retryAfter: 30,
    });
    expect(requestsSince(before)).toEqual(['POST /m/busy', 'GET /files/busy-1']);
  });
});

describe('a link as people paste it', () => {
  it('resolves a link found in an e-mail: quoted, wrapped over lines, with a full stop after it', async () => {
    server.routes.set('/m/pasted', (_req, res) =>
      sendJson(res, 200, { files: [{ contentType: SHC, embedded: specJwe }] }),
    );
    const link = linkTo(`${server.origin}/m/pasted`, { label: 'From the clinic' });
    const wrapped = (link.match(/.{1,60}/g) ?? []).join('\n> ');
    const mail = `> Dear Sam,\n> here is your record: <https://viewer.example.org/view#${wrapped}>.\n> Thanks`;
    const resolved = await resolve(mail, { recipient: 'r', ...local });
    expect(resolved.payload.label).toBe('From the clinic');
    expect(resolved.files[0]?.text).toBe(specPlaintext);
  });
});

describe('a runtime without WebCrypto', () => {
  it('is refused before any request, with SHL_CRYPTO_UNAVAILABLE', async () => {
    expect(() => assertWebCrypto({})).toThrow(expect.objectContaining({ code: 'SHL_CRYPTO_UNAVAILABLE' }));
    expect(() => assertWebCrypto(undefined)).toThrow(
      expect.objectContaining({
        code: 'SHL_CRYPTO_UNAVAILABLE',
        message: expect.stringContaining('https://'),
      }),
    );
    server.routes.set('/m/never', (_req, res) => sendJson(res, 200, { files: [] }));
    const before = server.requests.length;
    // A browser page served over plain http has `crypto` without `subtle`.
    vi.stubGlobal('crypto', { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) });
    try {
      await expect(
        resolve(linkTo(`${server.origin}/m/never`), { recipient: 'r', ...local }),
      ).rejects.toMatchObject({ code: 'SHL_CRYPTO_UNAVAILABLE' });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(requestsSince(before)).toEqual([]);
  });
});
