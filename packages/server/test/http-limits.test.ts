import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { API_KEY, type ListeningServer, startListeningServer } from './support/test-app.js';

/** A raw connection to the server, with everything it received and a promise of its end. */
const open = (url: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });

/** Writes `text` one character every `everyMs` until the socket closes; resolves with what was left unsent. */
const trickle = async (socket: Socket, text: string, everyMs: number): Promise<string> => {
  for (let index = 0; index < text.length; index += 1) {
    if (socket.destroyed || !socket.writable) return text.slice(index);
    socket.write(text[index] ?? '');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return '';
};

describe.each(testDatabases())('slow clients and the connection cap, on $name', (target) => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await startListeningServer(target, {
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      HTTP_MAX_CONNECTIONS: '3',
    });
  });
  afterAll(() => server?.close());

  it('cuts off a client whose headers trickle in, with 408 SHL_REQUEST_TIMEOUT, long before they end', async () => {
    const { socket, received, closed } = await open(server.url);
    // 200 characters at 100 ms each would take 20 s; the headers timeout is 1 s.
    const headers = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(160)}\r\n\r\n`;
    const unsent = trickle(socket, headers, 100);
    await closed;
    expect((await unsent).length).toBeGreaterThan(0);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(received()).toContain('"code":"SHL_REQUEST_TIMEOUT"');
  }, 30_000);

  it('cuts off a client whose body trickles in, with 408 SHL_REQUEST_TIMEOUT, and creates nothing', async () => {
    const { socket, received, closed } = await open(server.url);
    const body = JSON.stringify({ content: { resourceType: 'Patient', id: 'slow'.repeat(50) } });
    socket.write(
      `POST /api/links HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    const unsent = trickle(socket, body, 100);
    await closed;
    expect((await unsent).length).toBeGreaterThan(0);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(received()).toContain('"code":"SHL_REQUEST_TIMEOUT"');
    const list = await fetch(`${server.url}/api/links`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(((await list.json()) as { links: unknown[] }).links).toEqual([]);
  }, 30_000);

  it('closes connections past HTTP_MAX_CONNECTIONS at once, and takes new ones when some end', async () => {
    const held = await Promise.all([open(server.url), open(server.url), open(server.url)]);
    // Let the server count them before the next one arrives.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = await open(server.url);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await extra.closed;
    expect(extra.received()).toBe('');
    for (const connection of held) connection.socket.destroy();
    await Promise.all(held.map((connection) => connection.closed));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 30_000);
});
