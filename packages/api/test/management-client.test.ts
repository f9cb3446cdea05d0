import { isShlkitError } from '@shlkit/core';
import { describe, expect, it } from 'vitest';
import { createManagementClient, isManagementApiError, type ManagementApiError } from '../src/index.js';

// The client against the real server lives in packages/server/test/management-client.test.ts; these cover
// what a real server does not do on demand: proxies, dropped connections, answers outside the contract.

const ID = 'A'.repeat(43);

interface Sent {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fetch that records each request and answers with `answer`. */
const recordingFetch = (answer: () => Response) => {
  const sent: Sent[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    sent.push({
      url: String(input),
      method: init?.method,
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    return answer();
  };
  return { sent, fetch: fetch as typeof globalThis.fetch };
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const caught = async (promise: Promise<unknown>): Promise<ManagementApiError> => {
  try {
    await promise;
  } catch (error) {
    if (isManagementApiError(error)) return error;
    throw error;
  }
  throw new Error('expected a ManagementApiError');
};

describe('createManagementClient', () => {
  it('keeps the base URL path prefix, encodes path parameters and leaves out undefined query values', async () => {
    const { sent, fetch } = recordingFetch(() => json(200, { links: [], nextCursor: null }));
    const client = createManagementClient({
      baseUrl: 'https://admin.example.org/shl',
      auth: { bearer: 'shlk_token' },
      fetch,
    });
    await client.listLinks({ status: 'active', limit: 10, cursor: undefined });
    await client.call('listLinks', {});
    expect(sent.map((request) => request.url)).toEqual([
      'https://admin.example.org/shl/api/links?status=active&limit=10',
      'https://admin.example.org/shl/api/links',
    ]);
    expect(sent[0]?.headers).toMatchObject({
      authorization: 'Bearer shlk_token',
      accept: 'application/json',
    });

    const { sent: deletes, fetch: deleteFetch } = recordingFetch(() => new Response(null, { status: 204 }));
    const other = createManagementClient({
      baseUrl: 'https://shl.example.org/',
      auth: { bearer: 't' },
      fetch: deleteFetch,
    });
    await expect(other.revokeApiKey('a/b')).resolves.toBeUndefined();
    expect(deletes[0]).toMatchObject({ url: 'https://shl.example.org/api/keys/a%2Fb', method: 'DELETE' });
  });

  it('sends a JSON body with its content type, and a session as its CSRF token and cookie', async () => {
    const { sent, fetch } = recordingFetch(() =>
      json(201, {
        id: 'k1',
        name: 'ci',
        token: 'shlk_x',
        createdAt: '2030-01-01T00:00:00.000Z',
        scopes: ['admin'],
      }),
    );
    const client = createManagementClient({
      baseUrl: 'https://shl.example.org',
      auth: { session: { csrfToken: 'csrf-1', cookie: 'shl_session=abc' } },
      fetch,
    });
    const key = await client.createApiKey({ name: 'ci' });
    expect(key.token).toBe('shlk_x');
    expect(sent[0]).toMatchObject({
      method: 'POST',
      body: '{"name":"ci"}',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'csrf-1', cookie: 'shl_session=abc' },
    });
    expect(sent[0]?.headers).not.toHaveProperty('authorization');
  });

  it("an error answer throws ManagementApiError with the server's code, status and field", async () => {
    const { fetch } = recordingFetch(() =>
      json(400, {
        error: { code: 'SHL_INVALID_EXPIRY', message: 'expiresAt is in the past', field: 'expiresAt' },
      }),
    );
    const client = createManagementClient({
      baseUrl: 'https://shl.example.org',
      auth: { bearer: 't' },
      fetch,
    });
    const error = await caught(client.updateLink(ID, { expiresAt: 1 }));
    expect(error).toMatchObject({
      name: 'ManagementApiError',
      code: 'SHL_INVALID_EXPIRY',
      status: 400,
      field: 'expiresAt',
      message: 'expiresAt is in the past',
      method: 'PATCH',
      path: `/api/links/${ID}`,
    });
  });

  it("a code this version does not know (a newer server's) is SHL_INVALID_RESPONSE naming it", async () => {
    const { fetch } = recordingFetch(() =>
      json(409, { error: { code: 'SHL_FROM_THE_FUTURE', message: 'not yet invented' } }),
    );
    const client = createManagementClient({
      baseUrl: 'https://shl.example.org',
      auth: { bearer: 't' },
      fetch,
    });
    const error = await caught(client.deleteLink(ID));
    expect(error).toMatchObject({ code: 'SHL_INVALID_RESPONSE', status: 409 });
    expect(error.message).toBe('the server answered 409 SHL_FROM_THE_FUTURE: not yet invented');
    expect(isShlkitError(error)).toBe(true);
  });

  it('an error status without the error body (a proxy page) is SHL_INVALID_RESPONSE with the status', async () => {
    const { fetch } = recordingFetch(() => new Response('<html>Bad Gateway</html>', { status: 502 }));
    const client = createManagementClient({
      baseUrl: 'https://shl.example.org',
      auth: { bearer: 't' },
      fetch,
    });
    const error = await caught(client.getLink(ID));
    expect(error).toMatchObject({ code: 'SHL_INVALID_RESPONSE', status: 502 });
    expect(error.message).toContain('<html>Bad Gateway</html>');
  });

  it('no answer at all is SHL_NETWORK_ERROR without a status, with the cause', async () => {
    const refused = new TypeError('fetch failed');
    const client = createManagementClient({
      baseUrl: 'http://127.0.0.1:9',
      auth: { bearer: 't' },
      fetch: async () => {
        throw refused;
      },
    });
    const error = await caught(client.listApiKeys());
    expect(error).toMatchObject({
      code: 'SHL_NETWORK_ERROR',
      status: undefined,
      method: 'GET',
      path: '/api/keys',
    });
    expect(error.cause).toBe(refused);
  });

  it('a success answer outside the contract is SHL_INVALID_RESPONSE, unless checkAnswers is off', async () => {
    const { fetch } = recordingFetch(() => json(200, { links: [{ id: 1 }] }));
    const strict = createManagementClient({
      baseUrl: 'https://shl.example.org',
      auth: { bearer: 't' },
      fetch,
    });
    const error = await caught(strict.listLinks());
    expect(error).toMatchObject({ code: 'SHL_INVALID_RESPONSE', status: 200 });
    const lenient = createManagementClient({
      baseUrl: 'https://shl.example.org',
      auth: { bearer: 't' },
      fetch,
      checkAnswers: false,
    });
    await expect(lenient.listLinks()).resolves.toEqual({ links: [{ id: 1 }] });

    const { fetch: htmlFetch } = recordingFetch(() => new Response('<html>hello</html>', { status: 200 }));
    const html = createManagementClient({
      baseUrl: 'https://shl.example.org',
      auth: { bearer: 't' },
      fetch: htmlFetch,
    });
    expect(await caught(html.getLink(ID))).toMatchObject({ code: 'SHL_INVALID_RESPONSE', status: 200 });
  });

  it('reads the PNG QR code as bytes and the SVG one as text', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const { sent, fetch } = recordingFetch(
      () => new Response(png, { headers: { 'content-type': 'image/png' } }),
    );
    const client = createManagementClient({
      baseUrl: 'https://shl.example.org',
      auth: { bearer: 't' },
      fetch,
    });
    expect(await client.getQrPng(ID, { scale: 3 })).toEqual(png);
    expect(sent[0]?.url).toBe(`https://shl.example.org/api/links/${ID}/qr.png?scale=3`);
    expect(sent[0]?.headers.accept).toBe('image/png, application/json;q=0.5');
    const { fetch: svgFetch } = recordingFetch(
      () => new Response('<svg/>', { headers: { 'content-type': 'image/svg+xml' } }),
    );
    const svg = createManagementClient({
      baseUrl: 'https://shl.example.org',
      auth: { bearer: 't' },
      fetch: svgFetch,
    });
    expect(await svg.getQrSvg(ID)).toBe('<svg/>');
  });

  it('a missing path parameter is a TypeError and sends nothing', async () => {
    const { sent, fetch } = recordingFetch(() => json(200, {}));
    const client = createManagementClient({
      baseUrl: 'https://shl.example.org',
      auth: { bearer: 't' },
      fetch,
    });
    await expect(client.getLink('')).rejects.toThrow(TypeError);
    expect(sent).toEqual([]);
  });
});
