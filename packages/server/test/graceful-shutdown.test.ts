import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { buildServer, type ServerProcess, spawnServer } from './support/spawn-server.js';
import { API_KEY } from './support/test-app.js';

interface Connection {
  socket: Socket;
  received: () => string;
  closed: Promise<void>;
}

/** A raw connection to the server; rejects with the connect error (ECONNREFUSED once it stopped listening). */
const open = (url: string): Promise<Connection> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => {
      socket.on('error', () => {});
      resolve({ socket, received: () => text, closed });
    });
    socket.once('error', reject);
  });

const refused = async (url: string): Promise<boolean> =>
  open(url).then(
    (connection) => {
      connection.socket.destroy();
      return false;
    },
    (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
  );

const exited = (server: ServerProcess): Promise<number | null> =>
  server.child.exitCode !== null || server.child.signalCode !== null
    ? Promise.resolve(server.child.exitCode)
    : new Promise((resolve) => server.child.once('exit', (code) => resolve(code)));

const body = JSON.stringify({ content: { resourceType: 'Patient', id: 'in-flight' } });
const head =
  `POST /api/links HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${API_KEY}\r\n` +
  `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

describe.each(testDatabases())('SIGTERM on a server on $name', (target) => {
  let server: ServerProcess | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(() => buildServer(), 120_000);
  afterEach(async () => {
    if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await exited(server);
    }
    await drop?.();
  });

  const start = async (env: Record<string, string>) => {
    const created = await target.create();
    drop = created.drop;
    server = await spawnServer({
      ...created.env,
      SHL_API_KEY: API_KEY,
      SHL_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64url'),
      ...env,
    });
    return server;
  };

  it('stops accepting, closes idle connections, lets the request in flight finish (201) and exits 0', async () => {
    const running = await start({ SHUTDOWN_TIMEOUT_MS: '20000' });
    const idle = await open(running.url);
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    while (!idle.received().includes('"status":"ok"')) await sleep(20);
    const inFlight = await open(running.url);
    inFlight.socket.write(head + body.slice(0, 10));
    await sleep(200);

    running.child.kill('SIGTERM');
    while (!(await refused(running.url))) await sleep(50);
    await idle.closed;
    expect(running.child.exitCode).toBeNull();

    inFlight.socket.write(body.slice(10));
    await inFlight.closed;
    expect(inFlight.received()).toMatch(/^HTTP\/1\.1 201 /);
    expect(await exited(running)).toBe(0);
  }, 120_000);

  it('cuts off a request still in flight after SHUTDOWN_TIMEOUT_MS and exits 1', async () => {
    const running = await start({ SHUTDOWN_TIMEOUT_MS: '1000' });
    const inFlight = await open(running.url);
    inFlight.socket.write(head + body.slice(0, 10));
    await sleep(200);
    running.child.kill('SIGTERM');
    expect(await exited(running)).toBe(1);
    await inFlight.closed;
    expect(inFlight.received()).toBe('');
  }, 120_000);
});
