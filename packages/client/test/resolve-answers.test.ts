import { CompactEncrypt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../src/index.js';
import { parseRetryAfter } from '../src/fetch/retry-after.js';
import { type HttpFixture, local, sendJson, sendText, startHttpFixture } from './http-fixture.js';
import { linkTo } from './links.js';
import { SPEC_EXAMPLE_KEY } from '../../../test-support/samples.js';

let server: HttpFixture;
beforeAll(async () => {
  server = await startHttpFixture();
});
afterAll(() => server.close());

const requestsSince = (count: number) =>
  server.requests.slice(count).map((request) => `${request.method} ${request.path}`);
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** A JWE under the spec key with the given protected header fields and plaintext. */
const jweOf = (plaintext: string | Uint8Array, header: Record<string, unknown> = {}) =>
  new CompactEncrypt(typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', ...header })
    .encrypt(Buffer.from(SPEC_EXAMPLE_KEY, 'base64url'));

/** Issue 12: what a receiver makes of each server answer, at the edges a mutant moved unnoticed. */
describe('remaining attempts in a 401', () => {
  it.each<[string, unknown, number | undefined]>([
    ['zero', { remainingAttempts: 0 }, 0],
    ['a negative count', { remainingAttempts: -1 }, undefined],
    ['a fraction', { remainingAttempts: 1.5 }, undefined],
    ['a string', { remainingAttempts: '3' }, undefined],
    ['a JSON null body', null, undefined],
  ])('are read from %s', async (name, body, expected) => {
    const path = `/m/attempts-${name.replaceAll(' ', '-')}`;
    server.routes.set(path, (_req, res) => sendJson(res, 401, body));
    const error = await failureOf(
      resolve(linkTo(`${server.origin}${path}`, { flag: 'P' }), { recipient: 'r', passcode: 'x', ...local }),
    );
    expect(error).toMatchObject({ code: 'SHL_WRONG_PASSCODE', status: 401 });
    expect((error as { remainingAttempts?: number }).remainingAttempts).toBe(expected);
  });

  it('are left out when the 401 body is not JSON', async () => {
    server.routes.set('/m/attempts-text', (_req, res) => sendText(res, 401, 'nope', 'text/plain'));
    const error = await failureOf(
      resolve(linkTo(`${server.origin}/m/attempts-text`, { flag: 'P' }), {
        recipient: 'r',
        passcode: 'x',
        ...local,
      }),
    );
    expect(error).toMatchObject({ code: 'SHL_WRONG_PASSCODE' });
    expect((error as { remainingAttempts?: number }).remainingAttempts).toBeUndefined();
  });
});

describe('resolve called from JavaScript without options', () => {
  it('is SHL_INVALID_OPTIONS, not a TypeError', async () => {
    const call = resolve as (link: string) => Promise<unknown>;
    await expect(call(linkTo('https://shl.example.org/m/abc'))).rejects.toMatchObject({
      code: 'SHL_INVALID_OPTIONS',
    });
  });
});

describe('statuses around success', () => {
  it('takes any 2xx as an answer, and 300 as an invalid response', async () => {
    server.routes.set('/m/299', (_req, res) => sendJson(res, 299, { files: [] }));
    server.routes.set('/m/300', (_req, res) => sendJson(res, 300, { files: [] }));
    await expect(
      resolve(linkTo(`${server.origin}/m/299`), { recipient: 'r', ...local }),
    ).resolves.toMatchObject({
      files: [],
    });
    await expect(
      resolve(linkTo(`${server.origin}/m/300`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({
      code: 'SHL_INVALID_RESPONSE',
      status: 300,
    });
  });

  it('reports a location that answers 500 as SHL_INVALID_RESPONSE, without fetching the manifest again', async () => {
    server.routes.set('/m/broken-location', (_req, res) =>
      sendJson(res, 200, {
        files: [{ contentType: 'application/smart-health-card', location: `${server.origin}/f/500` }],
      }),
    );
    server.routes.set('/f/500', (_req, res) => {
      res.writeHead(500).end();
    });
    const before = server.requests.length;
    await expect(
      resolve(linkTo(`${server.origin}/m/broken-location`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({ code: 'SHL_INVALID_RESPONSE', status: 500 });
    expect(requestsSince(before)).toEqual(['POST /m/broken-location', 'GET /f/500']);
  });

  it('refuses a manifest that is not UTF-8 with SHL_INVALID_RESPONSE', async () => {
    server.routes.set('/m/latin1', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.concat([Buffer.from('{"files":[],"x":"'), Buffer.from([0xff]), Buffer.from('"}')]));
    });
    await expect(
      resolve(linkTo(`${server.origin}/m/latin1`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({
      code: 'SHL_INVALID_RESPONSE',
      status: 200,
    });
  });
});

describe('errors keep their cause and status', () => {
  it('an invalid manifest is SHL_INVALID_RESPONSE with the status and the core error as cause', async () => {
    server.routes.set('/m/shapeless', (_req, res) => sendJson(res, 200, { files: 'none' }));
    await expect(
      resolve(linkTo(`${server.origin}/m/shapeless`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({
      code: 'SHL_INVALID_RESPONSE',
      status: 200,
      cause: expect.objectContaining({ code: 'SHL_INVALID_MANIFEST' }),
    });
  });

  it('a link that is not usable keeps the core error as cause', async () => {
    await expect(resolve('no link', { recipient: 'r' })).rejects.toMatchObject({
      code: 'SHL_INVALID_LINK',
      cause: expect.objectContaining({ code: 'SHL_INVALID_LINK' }),
    });
    const newer = linkTo('https://shl.example.org/m/abc', {});
    const payload = JSON.parse(
      Buffer.from(newer.slice('shlink:/'.length), 'base64url').toString('utf8'),
    ) as object;
    const v2 = `shlink:/${Buffer.from(JSON.stringify({ ...payload, v: 2 })).toString('base64url')}`;
    await expect(resolve(v2, { recipient: 'r' })).rejects.toMatchObject({
      code: 'SHL_UNSUPPORTED_VERSION',
      cause: expect.objectContaining({ code: 'SHL_UNSUPPORTED_VERSION' }),
    });
  });

  it('files that do not open keep the core error (or the JSON error) as cause', async () => {
    const file = async (name: string, jwe: string) => {
      server.routes.set(`/c/${name}`, (_req, res) => sendText(res, 200, jwe, 'application/jose'));
      return failureOf(
        resolve(linkTo(`${server.origin}/c/${name}`, { flag: 'U' }), { recipient: 'r', ...local }),
      );
    };
    const otherKey = await new CompactEncrypt(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(new Uint8Array(32).fill(7));
    expect(await file('other-key', otherKey)).toMatchObject({
      code: 'SHL_DECRYPT_FAILED',
      cause: expect.objectContaining({ code: 'SHL_DECRYPT_FAILED' }),
    });
    expect(await file('words', await jweOf('not json'))).toMatchObject({
      code: 'SHL_INVALID_RESPONSE',
      cause: expect.any(SyntaxError),
    });
    expect(await file('not-utf8', await jweOf(Uint8Array.from([0x7b, 0xff, 0x7d])))).toMatchObject({
      code: 'SHL_INVALID_RESPONSE',
      cause: expect.objectContaining({ code: 'SHL_INVALID_CONTENT' }),
    });
  });

  it('a second failure after a new manifest keeps its own code: not every error is a gone location', async () => {
    let manifests = 0;
    server.routes.set('/m/second', (_req, res) => {
      manifests += 1;
      sendJson(res, 200, {
        files: [{ contentType: 'application/json', location: `${server.origin}/f/second-${manifests}` }],
      });
    });
    server.routes.set('/f/second-1', (_req, res) => {
      res.writeHead(404).end();
    });
    server.routes.set('/f/second-2', (_req, res) => sendText(res, 200, 'not a jwe', 'application/jose'));
    await expect(
      resolve(linkTo(`${server.origin}/m/second`), { recipient: 'r', ...local }),
    ).rejects.toMatchObject({
      code: 'SHL_DECRYPT_FAILED',
    });
  });
});

describe('the content type of a received file', () => {
  it("is the manifest's when it names one, whatever the JWE cty says", async () => {
    const jwe = await jweOf('{"a":1}', { cty: 'application/fhir+json' });
    server.routes.set('/m/typed', (_req, res) =>
      sendJson(res, 200, { files: [{ contentType: 'application/smart-health-card', embedded: jwe }] }),
    );
    const resolved = await resolve(linkTo(`${server.origin}/m/typed`), { recipient: 'r', ...local });
    expect(resolved.files[0]?.contentType).toBe('application/smart-health-card');
  });

  const direct = async (name: string, jwe: string) => {
    server.routes.set(`/d/${name}`, (_req, res) => sendText(res, 200, `\n${jwe}\n`, 'application/jose'));
    const resolved = await resolve(linkTo(`${server.origin}/d/${name}`, { flag: 'U' }), {
      recipient: 'r',
      ...local,
    });
    return resolved.files[0];
  };

  it('comes from the JSON when there is no manifest and no cty, else is application/json', async () => {
    const bundle = await direct(
      'bundle',
      await jweOf(JSON.stringify({ resourceType: 'Bundle', type: 'document' })),
    );
    expect(bundle?.contentType).toBe('application/fhir+json');
    const other = await direct('other', await jweOf('{"hello":"world"}'));
    expect(other?.contentType).toBe('application/json');
    // White space around the JWE is not part of it.
    expect(other?.jwe).not.toMatch(/\s/);
  });

  it('reports plaintext that is not UTF-8 as SHL_INVALID_RESPONSE', async () => {
    await expect(direct('not-utf8', await jweOf(Uint8Array.from([0x7b, 0xff, 0x7d])))).rejects.toMatchObject({
      code: 'SHL_INVALID_RESPONSE',
    });
  });
});

describe('reading Retry-After', () => {
  it('reads delay-seconds, an HTTP-date (never below 0), and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(' 120 ', now)).toBe(120);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:00 GMT', now + 500)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:01 GMT', now + 500)).toBe(1);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    for (const text of ['soon', '']) expect(parseRetryAfter(text, now)).toBeUndefined();
    // Whatever else it reads, it is never negative nor a fraction of a second.
    for (const text of ['-5', '1.5', '12abc']) {
      const seconds = parseRetryAfter(text, now) ?? 0;
      expect(Number.isInteger(seconds) && seconds >= 0).toBe(true);
    }
  });
});
