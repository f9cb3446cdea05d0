import { encodeShlink, encryptFile, generateShlKey, type ShlPayload } from '@shlkit/core';
import { loadConfig, type RunningServer, startServer } from '@shlkit/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, resolve, verifySmartHealthCards } from '../src/index.js';
import { readSampleJson } from '../../../test-support/samples.js';

const API_KEY = 'client-tests-api-key-0123456789';
const ips = readSampleJson<Record<string, unknown>>('ips/IPS_IG_bundle-minimal.json');
const shcFile = readSampleJson<{ verifiableCredential: string[] }>('shc/example-00-e-file.smart-health-card');
const jwks = readSampleJson<{ keys: [] }>('shc/issuer-jwks.json');
const local = { allowHttp: true, allowPrivateNetwork: true } as const;

let server: RunningServer;

interface CreatedLink {
  id: string;
  shlink?: string;
  payload: ShlPayload;
}

const api = async (method: string, path: string, body?: unknown): Promise<Response> =>
  fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${API_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const createLink = async (body: Record<string, unknown>): Promise<CreatedLink> => {
  const response = await api('POST', '/api/links', body);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as CreatedLink;
};

describe('resolve against the real shlkit server', () => {
  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: 'memory://',
      SHL_DEMO: 'false',
      SHL_API_KEY: API_KEY,
      LOG_LEVEL: 'silent',
    });
    server = await startServer({ config });
  });
  afterAll(() => server?.close());

  it('opens a plain link to one FHIR resource', async () => {
    const link = await createLink({ content: ips, label: 'Minimal IPS' });

    const resolved = await resolve(link.shlink ?? '', { recipient: 'client tests', ...local });

    expect(resolved.files).toHaveLength(1);
    expect(resolved.files[0]?.json).toEqual(ips);
    expect(resolved.files[0]?.contentType).toMatch(/^application\/fhir\+json/);
  });

  it('needs the passcode of a P link: missing, wrong (attempts counted down), then right', async () => {
    const link = await createLink({ content: ips, passcode: 'correct horse', passcodeAttempts: 3 });
    const shlink = link.shlink ?? '';

    await expect(resolve(shlink, { recipient: 'r', ...local })).rejects.toMatchObject({
      code: 'SHL_PASSCODE_REQUIRED',
    });
    await expect(resolve(shlink, { recipient: 'r', passcode: 'nope', ...local })).rejects.toMatchObject({
      code: 'SHL_WRONG_PASSCODE',
      remainingAttempts: 2,
    });
    const resolved = await resolve(shlink, { recipient: 'r', passcode: 'correct horse', ...local });
    expect(resolved.files[0]?.json).toEqual(ips);
  });

  it('opens a U link (direct file) by GET', async () => {
    const link = await createLink({ content: ips, direct: true });
    expect(link.payload.flag).toContain('U');

    const resolved = await resolve(link.shlink ?? '', { recipient: 'r', ...local });

    expect(resolved.files[0]?.json).toEqual(ips);
  });

  it('fetches files as location URLs when embeddedLengthMax is small', async () => {
    const link = await createLink({
      files: [
        { contentType: 'application/fhir+json', content: ips },
        { contentType: 'application/smart-health-card', content: shcFile },
      ],
    });

    const asked: { method: string; url: string }[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      asked.push({ method: init?.method ?? (input instanceof Request ? input.method : 'GET'), url });
      return fetch(input, init);
    };

    const resolved = await resolve(link.shlink ?? '', {
      recipient: 'r',
      embeddedLengthMax: 10,
      fetch: recordingFetch,
      ...local,
    });

    expect(resolved.files.map((file) => file.json)).toEqual([ips, shcFile]);
    // Both files came through their location URLs: one manifest POST, then one ticketed GET per file.
    const fileUrl = new RegExp(
      `^${server.url}/shl/${link.id}/files/[A-Za-z0-9_-]+\\?ticket=[A-Za-z0-9_-]{43}$`,
    );
    expect(asked.map((request) => request.method)).toEqual(['POST', 'GET', 'GET']);
    expect(asked.slice(1).every((request) => fileUrl.test(request.url))).toBe(true);
    expect(new Set(asked.slice(1).map((request) => request.url)).size).toBe(2);
    const cards = await verifySmartHealthCards(resolved.files[1]?.json, { jwks });
    expect(cards.map((card) => card.verified)).toEqual([true]);
  });

  it('opens a zero-knowledge link whose files were encrypted by the caller', async () => {
    const key = generateShlKey();
    const jwe = await encryptFile(JSON.stringify(ips), key, {
      contentType: 'application/fhir+json',
      compress: true,
    });
    const link = await createLink({ files: [{ contentType: 'application/fhir+json', jwe }] });
    expect(link.payload.key).toBeUndefined();

    const resolved = await resolve(encodeShlink({ ...link.payload, key }), { recipient: 'r', ...local });

    expect(resolved.files[0]?.json).toEqual(ips);
  });

  it('reports a revoked link as SHL_NOT_FOUND', async () => {
    const link = await createLink({ content: ips });
    expect((await api('DELETE', `/api/links/${link.id}`)).ok).toBe(true);

    await expect(resolve(link.shlink ?? '', { recipient: 'r', ...local })).rejects.toMatchObject({
      code: 'SHL_NOT_FOUND',
    });
  });

  it('polls an L link and yields again after its files are replaced', async () => {
    const link = await createLink({ content: ips, longTerm: true });
    const updated = { ...ips, id: 'updated-bundle' };
    const seen: unknown[] = [];
    const controller = new AbortController();

    for await (const update of poll(link.shlink ?? '', {
      recipient: 'r',
      signal: controller.signal,
      minIntervalMs: 0,
      sleep: async () => {
        if (seen.length === 1) {
          const put = await api('PUT', `/api/links/${link.id}/files`, {
            files: [{ contentType: 'application/fhir+json', content: updated }],
          });
          expect(put.ok, await put.clone().text()).toBe(true);
        }
      },
      ...local,
    })) {
      expect(update.status).toBe('can-change');
      seen.push(update.files[0]?.json);
      if (seen.length === 2) controller.abort();
    }

    expect(seen).toEqual([ips, updated]);
  });
});

describe('polling limits of the real shlkit server (SHL_POLL_INTERVAL_SECONDS=120)', () => {
  let limited: RunningServer;
  beforeAll(async () => {
    limited = await startServer({
      config: loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: 'memory://',
        SHL_DEMO: 'false',
        SHL_API_KEY: API_KEY,
        LOG_LEVEL: 'silent',
        SHL_POLL_INTERVAL_SECONDS: '120',
      }),
    });
  });
  afterAll(() => limited?.close());

  it('reads the server’s Retry-After on an L link and reports a poll too soon as SHL_RATE_LIMITED', async () => {
    const response = await fetch(`${limited.url}/api/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: ips, longTerm: true }),
    });
    const { shlink } = (await response.json()) as CreatedLink;

    const first = await resolve(shlink ?? '', { recipient: 'poller', ...local });
    expect(first.status).toBe('can-change');
    expect(first.retryAfter).toBe(120);

    const error = await resolve(shlink ?? '', { recipient: 'poller', ...local }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SHL_RATE_LIMITED', status: 429 });
    const { retryAfter } = error as { retryAfter: number };
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(120);
  });
});
