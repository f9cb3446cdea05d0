import { encodeBase64url, encryptFile } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve, ShlClientError } from '../src/index.js';
import { type HttpFixture, local, sendJson, sendText, startHttpFixture } from './http-fixture.js';
import { linkTo, rawLink, recordingFetch } from './links.js';
import { readSampleJson, SPEC_EXAMPLE_KEY } from '../../../test-support/samples.js';

let server: HttpFixture;
beforeAll(async () => {
  server = await startHttpFixture();
});
afterAll(() => server.close());

const specLinks = readSampleJson<{ shlinkBare: string; shlink: string }>(
  'shl-vectors/spec-payload-example.json',
);

describe('resolve refuses before sending anything', () => {
  it('asks for a passcode on the spec example link (flag LP) without a request', async () => {
    const { calls, fetch } = recordingFetch();

    await expect(resolve(specLinks.shlink, { recipient: 'r', fetch })).rejects.toMatchObject({
      code: 'SHL_PASSCODE_REQUIRED',
    });
    expect(calls).toEqual([]);
  });

  it('refuses a missing or empty recipient with SHL_INVALID_OPTIONS', async () => {
    const { calls, fetch } = recordingFetch();
    const direct = rawLink({ url: 'https://shl.example.org/m/abc', key: SPEC_EXAMPLE_KEY, flag: 'U' });

    for (const recipient of [undefined, '']) {
      await expect(
        resolve(direct, { recipient, fetch } as unknown as Parameters<typeof resolve>[1]),
      ).rejects.toMatchObject({ code: 'SHL_INVALID_OPTIONS' });
    }
    expect(calls).toEqual([]);
  });

  it('refuses a payload version it does not support with SHL_UNSUPPORTED_VERSION', async () => {
    const { calls, fetch } = recordingFetch();
    const link = rawLink({ url: 'https://shl.example.org/m/abc', key: SPEC_EXAMPLE_KEY, v: 2 });

    const error = await resolve(link, { recipient: 'r', fetch }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ShlClientError);
    expect(error).toMatchObject({ code: 'SHL_UNSUPPORTED_VERSION' });
    expect(calls).toEqual([]);
  });

  it('reports text without a link, and a payload without a key, as SHL_INVALID_LINK', async () => {
    const { calls, fetch } = recordingFetch();
    const keyless = rawLink({ url: 'https://shl.example.org/m/x' });

    await expect(resolve('https://example.org/no-link', { recipient: 'r', fetch })).rejects.toMatchObject({
      code: 'SHL_INVALID_LINK',
    });
    await expect(resolve(keyless, { recipient: 'r', fetch })).rejects.toMatchObject({
      code: 'SHL_INVALID_LINK',
    });
    expect(calls).toEqual([]);
  });
});

describe('resolve turns server answers into coded errors', () => {
  it('reports 401 as SHL_WRONG_PASSCODE with the remaining attempts, sending the passcode only once', async () => {
    server.routes.set('/m/locked', (_req, res) => sendJson(res, 401, { remainingAttempts: 3 }));
    const before = server.requests.length;

    const error = await resolve(linkTo(`${server.origin}/m/locked`, { flag: 'P' }), {
      recipient: 'r',
      passcode: 'wrong',
      ...local,
    }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'SHL_WRONG_PASSCODE', remainingAttempts: 3, status: 401 });
    expect(server.requests.length - before).toBe(1);
  });

  it('reports a 401 to a link without flag P and without a passcode as SHL_PASSCODE_REQUIRED', async () => {
    server.routes.set('/m/surprise', (_req, res) => sendJson(res, 401, { remainingAttempts: 5 }));

    await expect(
      resolve(linkTo(`${server.origin}/m/surprise`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({ code: 'SHL_PASSCODE_REQUIRED', remainingAttempts: 5 });
  });

  it('reports 404 as SHL_NOT_FOUND', async () => {
    await expect(
      resolve(linkTo(`${server.origin}/m/unknown`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({ code: 'SHL_NOT_FOUND', status: 404 });
  });

  it('reports 429 as SHL_RATE_LIMITED with Retry-After in seconds, without retrying', async () => {
    server.routes.set('/m/busy', (_req, res) => {
      res.writeHead(429, { 'retry-after': '30' }).end();
    });
    const before = server.requests.length;

    await expect(
      resolve(linkTo(`${server.origin}/m/busy`, { flag: 'L' }), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({ code: 'SHL_RATE_LIMITED', retryAfter: 30 });
    expect(server.requests.length - before).toBe(1);
  });

  it('reads an HTTP-date Retry-After as seconds from now', async () => {
    server.routes.set('/m/busy-date', (_req, res) => {
      res.writeHead(429, { 'retry-after': new Date(Date.now() + 90_000).toUTCString() }).end();
    });

    const error = (await resolve(linkTo(`${server.origin}/m/busy-date`), { recipient: 'r', ...local }).catch(
      (e: unknown) => e,
    )) as ShlClientError;

    expect(error.code).toBe('SHL_RATE_LIMITED');
    expect(error.retryAfter).toBeGreaterThan(60);
    expect(error.retryAfter).toBeLessThanOrEqual(90);
  });

  it('reports a manifest that is not JSON, or not a manifest, as SHL_INVALID_RESPONSE', async () => {
    server.routes.set('/m/html', (_req, res) => sendText(res, 200, '<html>hello</html>', 'text/html'));
    server.routes.set('/m/shapeless', (_req, res) => sendJson(res, 200, { files: [{ contentType: 'x' }] }));

    await expect(
      resolve(linkTo(`${server.origin}/m/html`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({
      code: 'SHL_INVALID_RESPONSE',
    });
    await expect(
      resolve(linkTo(`${server.origin}/m/shapeless`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({ code: 'SHL_INVALID_RESPONSE' });
  });

  it('reports a file encrypted with another key as SHL_DECRYPT_FAILED', async () => {
    const otherKey = encodeBase64url(new Uint8Array(32).fill(7));
    const jwe = await encryptFile('{"resourceType":"Bundle"}', otherKey, {
      contentType: 'application/fhir+json',
    });
    server.routes.set('/m/otherkey', (_req, res) =>
      sendJson(res, 200, { files: [{ contentType: 'application/fhir+json', embedded: jwe }] }),
    );

    await expect(
      resolve(linkTo(`${server.origin}/m/otherkey`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({ code: 'SHL_DECRYPT_FAILED' });
  });

  it('reports a file whose plaintext is not JSON as SHL_INVALID_RESPONSE', async () => {
    const jwe = await encryptFile('just words', SPEC_EXAMPLE_KEY, { contentType: 'application/fhir+json' });
    server.routes.set('/m/words', (_req, res) =>
      sendJson(res, 200, { files: [{ contentType: 'application/fhir+json', embedded: jwe }] }),
    );

    await expect(
      resolve(linkTo(`${server.origin}/m/words`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({
      code: 'SHL_INVALID_RESPONSE',
    });
  });

  it('stops reading a response past maxResponseBytes with SHL_RESPONSE_TOO_LARGE', async () => {
    server.routes.set('/m/huge', (_req, res) => {
      // Chunked, without content-length: the cap must hold while streaming.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"files":[],"pad":"${'x'.repeat(64 * 1024)}`);
      res.end(`${'y'.repeat(64 * 1024)}"}`);
    });

    await expect(
      resolve(linkTo(`${server.origin}/m/huge`), { recipient: 'r', maxResponseBytes: 50_000, ...local }),
    ).rejects.toMatchObject({ code: 'SHL_RESPONSE_TOO_LARGE' });
  });

  it('gives up on a server that never answers with SHL_NETWORK_ERROR after timeoutMs', async () => {
    server.routes.set('/m/silent', () => {
      // never answers
    });

    await expect(
      resolve(linkTo(`${server.origin}/m/silent`), { recipient: 'r', timeoutMs: 200, ...local }),
    ).rejects.toMatchObject({ code: 'SHL_NETWORK_ERROR' });
  });

  it('reports a refused connection as SHL_NETWORK_ERROR', async () => {
    await expect(
      resolve(linkTo('http://127.0.0.1:9/m/closed'), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({ code: 'SHL_NETWORK_ERROR' });
  });

  it("rethrows the caller's abort reason", async () => {
    server.routes.set('/m/silent2', () => {
      // never answers
    });
    const controller = new AbortController();
    const reason = new Error('user closed the page');
    const pending = resolve(linkTo(`${server.origin}/m/silent2`), {
      recipient: 'r',
      signal: controller.signal,
      ...local,
    });
    setTimeout(() => controller.abort(reason), 20);

    await expect(pending).rejects.toBe(reason);
  });
});
