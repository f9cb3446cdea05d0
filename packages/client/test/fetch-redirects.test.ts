import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from '../src/fetch/guarded-fetch.js';
import { defaultHostLookup, isServerRuntime } from '../src/fetch/host-lookup.js';
import { type HttpFixture, local, sendText, startHttpFixture } from './http-fixture.js';

let server: HttpFixture;
beforeAll(async () => {
  server = await startHttpFixture();
});
afterAll(() => server.close());

/**
 * Requests for `https://public.test` go to the local fixture over http, standing in for a public host: the
 * guard sees an https URL with a public DNS answer and checks every hop itself (manual redirects).
 */
const publicHost = () => ({
  fetch: ((input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    return fetch(`${server.origin}${url.pathname}${url.search}`, init);
  }) as typeof fetch,
  lookup: async () => ['93.184.216.34'],
});

const redirect = (path: string, status: number, location: string) =>
  server.routes.set(path, (_req, res) => {
    res.writeHead(status, { location }).end();
  });
const answer = (path: string) =>
  server.routes.set(path, (req, res) => sendText(res, 200, `${req.method} ${req.body}`, 'text/plain'));
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const post = { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } } as const;

/** Issue 12: the hop-by-hop rules of the fetch guard, each of which a mutant broke unnoticed. */
describe('the fetch guard follows redirects by hand, as the Fetch standard does', () => {
  it('continues a POST as GET without a body after 303, 301 and 302', async () => {
    answer('/r/to');
    for (const status of [301, 302, 303]) {
      redirect(`/r/${status}`, status, 'https://public.test/r/to');
      const response = await guardedFetch(`https://public.test/r/${status}`, post, publicHost());
      expect(text(response.body)).toBe('GET ');
      expect(response.url).toBe('https://public.test/r/to');
    }
  });

  it('keeps the method and body after 307 and 308', async () => {
    answer('/r/kept');
    for (const status of [307, 308]) {
      redirect(`/r/${status}`, status, '/r/kept');
      const response = await guardedFetch(`https://public.test/r/${status}`, post, publicHost());
      expect(text(response.body)).toBe('POST payload');
    }
  });

  it('continues a GET as GET after 303', async () => {
    answer('/r/get-to');
    redirect('/r/get-303', 303, '/r/get-to');
    const response = await guardedFetch('https://public.test/r/get-303', { method: 'GET' }, publicHost());
    expect(text(response.body)).toBe('GET ');
  });

  it('follows five redirects and refuses the sixth with SHL_NETWORK_ERROR', async () => {
    answer('/hop/end');
    for (let hop = 0; hop < 6; hop += 1) redirect(`/hop/${hop}`, 302, `/hop/${hop + 1}`);
    redirect('/hop/5', 302, '/hop/end');
    const five = await guardedFetch('https://public.test/hop/1', { method: 'GET' }, publicHost());
    expect(five.status).toBe(200);
    await expect(
      guardedFetch('https://public.test/hop/0', { method: 'GET' }, publicHost()),
    ).rejects.toMatchObject({ code: 'SHL_NETWORK_ERROR' });
  });

  it('returns a redirect status without a Location as it is', async () => {
    server.routes.set('/r/nowhere', (_req, res) => {
      res.writeHead(302).end();
    });
    const response = await guardedFetch('https://public.test/r/nowhere', { method: 'GET' }, publicHost());
    expect(response.status).toBe(302);
  });

  it('returns other statuses, and a 3xx that is not a redirect, as they are', async () => {
    server.routes.set('/r/304', (_req, res) => {
      res.writeHead(304, { location: '/r/to' }).end();
    });
    server.routes.set('/r/500', (_req, res) => {
      res.writeHead(500, { location: '/r/to' }).end();
    });
    for (const status of [304, 500]) {
      const response = await guardedFetch(`https://public.test/r/${status}`, { method: 'GET' }, publicHost());
      expect(response.status).toBe(status);
    }
  });

  it('returns a 200 as it is, even with a Location header', async () => {
    server.routes.set('/r/200', (_req, res) => {
      res.writeHead(200, { location: '/r/to' }).end('here');
    });
    const response = await guardedFetch('https://public.test/r/200', { method: 'GET' }, publicHost());
    expect(text(response.body)).toBe('here');
  });

  it('checks redirects itself when only http is allowed: a hop to a private address is refused', async () => {
    redirect('/r/to-private', 302, 'http://10.0.0.1/admin');
    await expect(
      guardedFetch(
        'http://public.test/r/to-private',
        { method: 'GET' },
        { ...publicHost(), allowHttp: true },
      ),
    ).rejects.toMatchObject({ code: 'SHL_BLOCKED_ADDRESS' });
  });

  it('refuses an answer whose redirect the runtime hides (a browser under redirect: manual)', async () => {
    const opaque = (async () =>
      ({
        type: 'opaqueredirect',
        status: 0,
        headers: new Headers(),
        body: null,
      }) as unknown as Response) as typeof fetch;
    await expect(
      guardedFetch('https://public.test/x', { method: 'GET' }, { ...publicHost(), fetch: opaque }),
    ).rejects.toMatchObject({ code: 'SHL_INVALID_RESPONSE' });
  });

  it('refuses a Location that is not a URL with SHL_INVALID_RESPONSE', async () => {
    redirect('/r/broken', 302, 'http://[broken');
    await expect(
      guardedFetch('https://public.test/r/broken', { method: 'GET' }, publicHost()),
    ).rejects.toMatchObject({ code: 'SHL_INVALID_RESPONSE' });
  });

  it('leaves redirects to the runtime when there is nothing to check', async () => {
    answer('/r/local-to');
    redirect('/r/local', 302, '/r/local-to');
    const response = await guardedFetch(`${server.origin}/r/local`, { method: 'GET' }, local);
    expect(response.status).toBe(200);
    // The runtime followed it: the guard reports the URL it was given.
    expect(response.url).toBe(`${server.origin}/r/local`);
  });
});

describe('the fetch guard checks every URL before connecting', () => {
  it('refuses a scheme other than http(s) even when http and private addresses are allowed', async () => {
    for (const url of ['ftp://public.test/x', 'file:///etc/passwd', 'data:text/plain,hi']) {
      await expect(guardedFetch(url, { method: 'GET' }, local)).rejects.toMatchObject({
        code: 'SHL_BLOCKED_ADDRESS',
      });
    }
  });

  it('refuses text that is not a URL with SHL_INVALID_RESPONSE', async () => {
    await expect(guardedFetch('not a url', { method: 'GET' }, local)).rejects.toMatchObject({
      code: 'SHL_INVALID_RESPONSE',
      cause: expect.any(TypeError),
    });
  });

  it('allows http to a public address when allowHttp is set, without allowing private addresses', async () => {
    answer('/h/plain');
    const response = await guardedFetch(
      'http://public.test/h/plain',
      { method: 'GET' },
      {
        ...publicHost(),
        allowHttp: true,
      },
    );
    expect(response.status).toBe(200);
    await expect(
      guardedFetch('http://10.0.0.1/h/plain', { method: 'GET' }, { ...publicHost(), allowHttp: true }),
    ).rejects.toMatchObject({ code: 'SHL_BLOCKED_ADDRESS' });
  });

  it('reaches a public IP literal without asking DNS', async () => {
    answer('/h/literal');
    const lookups: string[] = [];
    const response = await guardedFetch(
      'https://93.184.216.34/h/literal',
      { method: 'GET' },
      {
        fetch: publicHost().fetch,
        lookup: async (host) => {
          lookups.push(host);
          return ['10.0.0.1'];
        },
      },
    );
    expect(response.status).toBe(200);
    expect(lookups).toEqual([]);
  });

  it("reports a failed DNS lookup as SHL_NETWORK_ERROR, and an abort during it as the caller's reason", async () => {
    const failing = async (): Promise<string[]> => {
      throw new Error('ENOTFOUND');
    };
    await expect(
      guardedFetch('https://nowhere.test/x', { method: 'GET' }, { ...publicHost(), lookup: failing }),
    ).rejects.toMatchObject({ code: 'SHL_NETWORK_ERROR', cause: expect.any(Error) });

    const controller = new AbortController();
    const reason = new Error('user left');
    const hanging = () => new Promise<string[]>(() => undefined);
    const pending = guardedFetch(
      'https://slow-dns.test/x',
      { method: 'GET' },
      {
        ...publicHost(),
        lookup: hanging,
        signal: controller.signal,
      },
    );
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);

    const already = new AbortController();
    already.abort(reason);
    await expect(
      guardedFetch(
        'https://slow-dns.test/x',
        { method: 'GET' },
        {
          ...publicHost(),
          lookup: hanging,
          signal: already.signal,
        },
      ),
    ).rejects.toBe(reason);
  });
});

describe('the system resolver', () => {
  it('is used in Node, and answers every address of a name', async () => {
    expect(isServerRuntime()).toBe(true);
    const lookup = defaultHostLookup();
    expect(lookup).toBeDefined();
    expect(await lookup?.('localhost')).toContain('127.0.0.1');
  });

  it('is missing where the runtime offers no DNS, and then a host name is refused, not fetched', async () => {
    const runtime = process as { getBuiltinModule?: unknown };
    const original = runtime.getBuiltinModule;
    runtime.getBuiltinModule = undefined;
    try {
      expect(defaultHostLookup()).toBeUndefined();
      const requests = server.requests.length;
      await expect(
        guardedFetch('https://public.test/x', { method: 'GET' }, { fetch: publicHost().fetch }),
      ).rejects.toMatchObject({ code: 'SHL_BLOCKED_ADDRESS' });
      expect(server.requests.length).toBe(requests);
    } finally {
      runtime.getBuiltinModule = original;
    }
  });
});

describe('network failures', () => {
  it('keep the runtime error as the cause, for a refused connection and for a timeout', async () => {
    await expect(guardedFetch('http://127.0.0.1:9/x', { method: 'GET' }, local)).rejects.toMatchObject({
      code: 'SHL_NETWORK_ERROR',
      cause: expect.any(Error),
    });
    server.routes.set('/n/silent', () => undefined);
    await expect(
      guardedFetch(`${server.origin}/n/silent`, { method: 'GET' }, { ...local, timeoutMs: 100 }),
    ).rejects.toMatchObject({ code: 'SHL_NETWORK_ERROR', cause: expect.anything() });
  });
});

describe('the fetch guard caps the body', () => {
  it('accepts a body of exactly maxResponseBytes, declared or streamed, and refuses one byte more', async () => {
    server.routes.set('/b/declared', (_req, res) => {
      res.writeHead(200, { 'content-length': '10' }).end('0123456789');
    });
    server.routes.set('/b/streamed', (_req, res) => {
      res.writeHead(200);
      res.write('01234');
      res.end('56789');
    });
    for (const path of ['/b/declared', '/b/streamed']) {
      const exact = await guardedFetch(
        `${server.origin}${path}`,
        { method: 'GET' },
        { ...local, maxResponseBytes: 10 },
      );
      expect(text(exact.body)).toBe('0123456789');
      await expect(
        guardedFetch(`${server.origin}${path}`, { method: 'GET' }, { ...local, maxResponseBytes: 9 }),
      ).rejects.toMatchObject({ code: 'SHL_RESPONSE_TOO_LARGE', status: 200 });
    }
  });

  it('reads an empty body as no bytes', async () => {
    server.routes.set('/b/empty', (_req, res) => {
      res.writeHead(204).end();
    });
    const response = await guardedFetch(`${server.origin}/b/empty`, { method: 'GET' }, local);
    expect(response.status).toBe(204);
    expect(response.body).toEqual(new Uint8Array(0));
  });
});
