import { randomBytes } from 'node:crypto';
import { createManagementClient } from '@shlkit/api';
import { encodeBase64url } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_STREAM_OPTIONS } from '../src/access-log/access-stream.js';
import { loadConfig } from '../src/config.js';
import { type RunningServer, startServer } from '../src/server.js';
import { createPostgresDatabase, postgresAvailable, testDatabases } from './support/databases.js';
import { API_KEY, AUTH, type ListeningServer, startListeningServer } from './support/test-app.js';

interface StreamEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** Opens the live access log over real HTTP and hands out its events one at a time. */
const openStream = async (base: string, linkId: string, headers: Record<string, string> = AUTH) => {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/links/${linkId}/accesses/stream`, {
    headers,
    signal: abort.signal,
  });
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (reader === undefined) throw new Error('no body');
  let buffer = '';
  const comments: string[] = [];
  /** The next event (comments are collected aside), or a failure after `ms`. */
  const next = async (ms = 10_000): Promise<StreamEvent> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: StreamEvent = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line);
          const [field, ...rest] = line.split(': ');
          if (field === 'id' || field === 'event' || field === 'data') event[field] = rest.join(': ');
        }
        if (event.event !== undefined) return event;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no event in time');
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event in time')), left)),
      ]);
      if (chunk.done) throw new Error('the stream ended');
      buffer += chunk.value;
    }
  };
  return { res, next, comments, close: () => abort.abort() };
};

const createLink = async (base: string): Promise<{ id: string; payload: { url: string } }> => {
  const res = await fetch(`${base}/api/links`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ content: { resourceType: 'Patient', id: 'p1' } }),
  });
  expect(res.status).toBe(201);
  return res.json() as Promise<{ id: string; payload: { url: string } }>;
};

const askManifest = async (url: string, recipient: string): Promise<number> => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ recipient }),
  });
  await res.arrayBuffer();
  return res.status;
};

describe.each(testDatabases())('live access log (Server-Sent Events) on $name', (target) => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await startListeningServer(target);
  });
  afterAll(() => server?.close());

  it('sends one event per access, as it happens, with no-store and event-stream headers', async () => {
    const link = await createLink(server.url);
    // Accesses before the stream opens are not replayed: the stream starts after the newest.
    expect(await askManifest(link.payload.url, 'before')).toBe(200);
    expect(await askManifest(link.payload.url, 'just before')).toBe(200);
    const stream = await openStream(server.url, link.id);
    try {
      expect(stream.res.status).toBe(200);
      expect(stream.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(stream.res.headers.get('cache-control')).toBe('no-store');
      expect(await askManifest(link.payload.url, 'Dr. Live')).toBe(200);
      const first = await stream.next();
      expect(first.event).toBe('access');
      const access = JSON.parse(first.data ?? '');
      expect(access).toMatchObject({ recipient: 'Dr. Live', path: 'manifest', outcome: 'ok' });
      expect(first.id).toBe(access.id);
      await fetch(`${server.url}/api/links/${link.id}`, { method: 'DELETE', headers: AUTH });
      expect(await askManifest(link.payload.url, 'too late')).toBe(404);
      expect(JSON.parse((await stream.next()).data ?? '')).toMatchObject({
        recipient: 'too late',
        outcome: 'inactive',
      });
    } finally {
      stream.close();
    }
  });

  it('lets a read-only key (links:read) page through the access log and open its stream', async () => {
    const link = await createLink(server.url);
    await askManifest(link.payload.url, 'read me');
    const made = await fetch(`${server.url}/api/keys`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'log reader', scopes: ['links:read'] }),
    });
    expect(made.status).toBe(201);
    const reader = { authorization: `Bearer ${((await made.json()) as { token: string }).token}` };
    const listed = await fetch(`${server.url}/api/links/${link.id}/accesses`, { headers: reader });
    expect(listed.status).toBe(200);
    expect((await listed.json()).accesses).toEqual([expect.objectContaining({ recipient: 'read me' })]);
    const stream = await openStream(server.url, link.id, reader);
    try {
      expect(stream.res.status).toBe(200);
      expect(await askManifest(link.payload.url, 'streamed')).toBe(200);
      expect(JSON.parse((await stream.next()).data ?? '')).toMatchObject({ recipient: 'streamed' });
    } finally {
      stream.close();
    }
  });

  it('ends its open streams when the server closes, rather than wait for their clients', async () => {
    const own = await startListeningServer(target);
    let closed = false;
    try {
      const link = await createLink(own.url);
      const stream = await openStream(own.url, link.id);
      expect(stream.res.status).toBe(200);
      await own.close();
      closed = true;
      await expect(stream.next(5_000)).rejects.toThrow('the stream ended');
    } finally {
      if (!closed) await own.close();
    }
  });

  it('ends the stream once the key that opened it is revoked', async () => {
    const link = await createLink(server.url);
    const made = await fetch(`${server.url}/api/keys`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'stream reader' }),
    });
    expect(made.status).toBe(201);
    const key = (await made.json()) as { id: string; token: string };
    const stream = await openStream(server.url, link.id, { authorization: `Bearer ${key.token}` });
    try {
      expect(stream.res.status).toBe(200);
      expect(await askManifest(link.payload.url, 'while allowed')).toBe(200);
      expect(JSON.parse((await stream.next()).data ?? '')).toMatchObject({ recipient: 'while allowed' });
      const revoked = await fetch(`${server.url}/api/keys/${key.id}`, { method: 'DELETE', headers: AUTH });
      await revoked.arrayBuffer();
      expect(revoked.status).toBeLessThan(300);
      // Checked again every DEFAULT_ACCESS_STREAM_OPTIONS.recheckMs (5 s): it ends, and shows nothing more.
      await expect(stream.next(DEFAULT_ACCESS_STREAM_OPTIONS.recheckMs * 3)).rejects.toThrow(
        'the stream ended',
      );
    } finally {
      stream.close();
    }
  });

  it('resumes after Last-Event-ID, and answers 404 for an unknown link', async () => {
    const link = await createLink(server.url);
    await askManifest(link.payload.url, 'one');
    await askManifest(link.payload.url, 'two');
    const list = await (await fetch(`${server.url}/api/links/${link.id}/accesses`, { headers: AUTH })).json();
    const [two, one] = list.accesses as { id: string }[];
    const abort = new AbortController();
    const res = await fetch(`${server.url}/api/links/${link.id}/accesses/stream`, {
      headers: { ...AUTH, 'last-event-id': one?.id ?? '' },
      signal: abort.signal,
    });
    const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: access')) text += (await reader?.read())?.value ?? '';
    abort.abort();
    expect(text).toContain(`id: ${two?.id}\n`);
    const client = createManagementClient({ baseUrl: server.url, auth: { bearer: API_KEY } });
    expect(client.accessStreamUrl(link.id, { after: '7' })).toBe(
      `${server.url}/api/links/${link.id}/accesses/stream?after=7`,
    );
    const missing = await fetch(`${server.url}/api/links/${'A'.repeat(43)}/accesses/stream`, {
      headers: AUTH,
    });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('SHL_NOT_FOUND');
  });

  it('resumes after ?after= when Last-Event-ID is not an id, tells the client its retry, and sets the security headers by hand', async () => {
    const link = await createLink(server.url);
    for (const recipient of ['one', 'two', 'three']) await askManifest(link.payload.url, recipient);
    const list = await (await fetch(`${server.url}/api/links/${link.id}/accesses`, { headers: AUTH })).json();
    const [, two, one] = list.accesses as { id: string }[];
    /** The stream's text up to the event of `three`, opened with these headers and query. */
    const streamed = async (lastEventId: string, after: string) => {
      const abort = new AbortController();
      const res = await fetch(`${server.url}/api/links/${link.id}/accesses/stream?after=${after}`, {
        headers: { ...AUTH, 'last-event-id': lastEventId },
        signal: abort.signal,
      });
      const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
      if (reader === undefined) throw new Error('no body');
      let text = '';
      while (!text.includes('"three"')) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`the stream ended: ${JSON.stringify(text)}`);
        text += chunk.value;
      }
      abort.abort();
      return { res, text };
    };
    // Not an id (letters, or digits with more around them): ?after= decides.
    for (const notAnId of ['not-an-id', `${one?.id}x`, `x${one?.id}`, '1'.repeat(19)]) {
      const { res, text } = await streamed(notAnId, one?.id ?? '');
      // The retry hint comes first; then the accesses after `one`, `two` first.
      expect(text.startsWith('retry: 2000\n\n'), notAnId).toBe(true);
      expect(text.indexOf(`id: ${two?.id}\n`), notAnId).toBeGreaterThan(0);
      expect(text.indexOf('"two"'), notAnId).toBeLessThan(text.indexOf('"three"'));
      expect(text, notAnId).not.toContain('"one"');
      // Proxies must not buffer events; a hijacked reply gets no onSend hook, so these are written by hand.
      expect(res.headers.get('x-accel-buffering')).toBe('no');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    // An id with leading zeros is still an id, of any length up to 18 digits: it wins over ?after=.
    const { text } = await streamed(`00${one?.id}`, '0');
    expect(text).not.toContain('"one"');
    expect(text).toContain('"two"');
  });

  it('keeps a stream open across the recheck of credentials that still hold', async () => {
    const link = await createLink(server.url);
    const stream = await openStream(server.url, link.id);
    try {
      expect(stream.res.status).toBe(200);
      // Past the first recheck (DEFAULT_ACCESS_STREAM_OPTIONS.recheckMs), the stream still delivers.
      await new Promise((resolve) => setTimeout(resolve, DEFAULT_ACCESS_STREAM_OPTIONS.recheckMs + 1_000));
      expect(await askManifest(link.payload.url, 'after a recheck')).toBe(200);
      expect(JSON.parse((await stream.next()).data ?? '')).toMatchObject({ recipient: 'after a recheck' });
    } finally {
      stream.close();
    }
  });
});

describe.runIf(postgresAvailable())('live access log across two server instances on one PostgreSQL', () => {
  let servers: RunningServer[] = [];
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const database = await createPostgresDatabase();
    drop = database.drop;
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      SHL_DEMO: 'false',
      SHL_API_KEY: API_KEY,
      DATABASE_URL: database.url,
      SHL_KEY_ENCRYPTION_KEY: encodeBase64url(new Uint8Array(randomBytes(32))),
    };
    servers = [
      await startServer({ config: loadConfig(env) }),
      await startServer({ config: loadConfig(env) }),
    ];
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await drop();
  });

  it('streams on one instance an access that the other served', async () => {
    const [a, b] = servers;
    if (a === undefined || b === undefined) throw new Error('two servers');
    const link = await createLink(a.url);
    const stream = await openStream(a.url, link.id);
    try {
      const path = new URL(link.payload.url).pathname;
      expect(await askManifest(`${b.url}${path}`, 'via B')).toBe(200);
      expect(JSON.parse((await stream.next()).data ?? '')).toMatchObject({
        recipient: 'via B',
        outcome: 'ok',
      });
    } finally {
      stream.close();
    }
  });
});
