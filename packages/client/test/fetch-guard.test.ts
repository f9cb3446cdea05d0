import { lookup as dnsLookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBlockedAddress, resolve } from '../src/index.js';
import { type HttpFixture, sendText, startHttpFixture } from './http-fixture.js';
import { linkTo, recordingFetch } from './links.js';
import { readSample } from '../../../test-support/samples.js';

const specJwe = readSample('shl-vectors/spec-example-encrypted-shc.jwe.txt');

let server: HttpFixture;
beforeAll(async () => {
  server = await startHttpFixture();
});
afterAll(() => server.close());

/**
 * Sends requests for `https://public.test` to the local fixture over http, standing in for a public host.
 * The guard still sees the https URL and a public DNS answer, as it would in production.
 */
const publicHostFetch = (origin: string): typeof fetch =>
  ((input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.hostname !== 'public.test') return fetch(url, init);
    return fetch(`${origin}${url.pathname}${url.search}`, init);
  }) as typeof fetch;
const publicLookup = async (host: string) => (host === 'public.test' ? ['93.184.216.34'] : ['10.1.2.3']);

describe('the SSRF guard (defaults in Node)', () => {
  it.each([
    ['http: on a public host', 'http://shl.example.org/m/abc'],
    ['loopback IPv4', 'https://127.0.0.1/m/abc'],
    ['a private address', 'https://10.0.0.1/m/abc'],
    ['loopback IPv6', 'https://[::1]/m/abc'],
    ['an IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/m/abc'],
    ['the cloud metadata address', 'https://169.254.169.254/m/abc'],
    ['localhost by name', 'https://localhost/m/abc'],
    ['0.0.0.0', 'https://0.0.0.0/m/abc'],
    ['a decimal-encoded loopback', 'https://2130706433/m/abc'],
  ])('refuses %s with SHL_BLOCKED_ADDRESS and sends nothing', async (_what, url) => {
    const { calls, fetch } = recordingFetch();

    await expect(resolve(linkTo(url), { recipient: 'r', fetch })).rejects.toMatchObject({
      code: 'SHL_BLOCKED_ADDRESS',
    });
    expect(calls).toEqual([]);
  });

  it('refuses a host name that resolves to a private address', async () => {
    const { calls, fetch } = recordingFetch();
    const lookup = async () => ['93.184.216.34', '192.168.0.10'];

    await expect(
      resolve(linkTo('https://intranet.example.org/m/abc'), { recipient: 'r', fetch, lookup }),
    ).rejects.toMatchObject({ code: 'SHL_BLOCKED_ADDRESS' });
    expect(calls).toEqual([]);
  });

  it('refuses localhost under another spelling (upper case, trailing dot)', async () => {
    const { calls, fetch } = recordingFetch();
    await expect(
      resolve(linkTo('https://LOCALHOST./m/abc'), { recipient: 'r', fetch }),
    ).rejects.toMatchObject({
      code: 'SHL_BLOCKED_ADDRESS',
    });
    expect(calls).toEqual([]);
  });

  it("asks the system resolver by default: this machine's own name resolves to an internal address", async () => {
    const name = hostname();
    const answers = await dnsLookup(name, { all: true });
    // Precondition, not the behaviour under test: a machine's name maps to loopback or a LAN address.
    expect(answers.some((answer) => isBlockedAddress(answer.address))).toBe(true);
    const { calls, fetch } = recordingFetch();

    await expect(resolve(linkTo(`https://${name}/m/abc`), { recipient: 'r', fetch })).rejects.toMatchObject({
      code: 'SHL_BLOCKED_ADDRESS',
    });
    expect(calls).toEqual([]);
  });

  it('does not follow a redirect from a public URL to a name that resolves to an internal address', async () => {
    server.routes.set('/m/bounce', (_req, res) => {
      res.writeHead(307, { location: 'https://internal.test/admin' }).end();
    });
    const before = server.requests.length;

    await expect(
      resolve(linkTo('https://public.test/m/bounce', { flag: 'U' }), {
        recipient: 'r',
        fetch: publicHostFetch(server.origin),
        lookup: publicLookup,
      }),
    ).rejects.toMatchObject({ code: 'SHL_BLOCKED_ADDRESS' });
    expect(server.requests.slice(before).map((req) => req.path)).toEqual(['/m/bounce?recipient=r']);
  });

  it('follows a redirect to another public URL, checking it again', async () => {
    server.routes.set('/m/moved', (_req, res) => {
      res.writeHead(302, { location: 'https://public.test/m/here' }).end();
    });
    server.routes.set('/m/here', (_req, res) => sendText(res, 200, specJwe, 'text/plain'));

    const resolved = await resolve(linkTo('https://public.test/m/moved', { flag: 'U' }), {
      recipient: 'r',
      fetch: publicHostFetch(server.origin),
      lookup: publicLookup,
    });

    expect(resolved.files).toHaveLength(1);
  });

  it('lets the caller allow http and private addresses explicitly', async () => {
    server.routes.set('/m/local', (_req, res) => sendText(res, 200, specJwe, 'text/plain'));

    await expect(
      resolve(linkTo(`${server.origin}/m/local`, { flag: 'U' }), { recipient: 'r', allowHttp: true }),
    ).rejects.toMatchObject({ code: 'SHL_BLOCKED_ADDRESS' });
    await expect(
      resolve(linkTo(`${server.origin}/m/local`, { flag: 'U' }), {
        recipient: 'r',
        allowPrivateNetwork: true,
      }),
    ).rejects.toMatchObject({ code: 'SHL_BLOCKED_ADDRESS' });
    const resolved = await resolve(linkTo(`${server.origin}/m/local`, { flag: 'U' }), {
      recipient: 'r',
      allowHttp: true,
      allowPrivateNetwork: true,
    });
    expect(resolved.files).toHaveLength(1);
  });
});
