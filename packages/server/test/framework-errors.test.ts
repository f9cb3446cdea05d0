import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { type ErrorCode, httpStatusOf, ShlError } from '@shlkit/core';
import Fastify, { type FastifyInstance, type FastifyRequest, type InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { openDatabase } from '../src/db/open-database.js';
import { ServerError } from '../src/errors.js';
import { answerError } from '../src/http/error-handler.js';
import { answerClientError } from '../src/http/framework-errors.js';
import { testDatabases } from './support/databases.js';
import { API_KEY, AUTH, BASE } from './support/test-app.js';

// Framework errors come before any storage is touched, so one database (PGlite) is enough here.
const pglite = testDatabases().find((target) => target.name === 'PGlite')!;

const ID = 'a'.repeat(43);
const JSON_TYPE = { 'content-type': 'application/json' };

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Every answer is ours: `{"error": {"code", "message", "field"?}}` with a code of the registry whose status
 * is the answer's, JSON, and nothing of Fastify's own shape (`statusCode`, a string `error`, `FST_*`).
 */
const expectOurError = (answer: Answer, status: number, code: ErrorCode, field?: string) => {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.body).not.toMatch(/FST_|statusCode/);
  const body = JSON.parse(answer.body) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).every((key) => ['code', 'message', 'field'].includes(key))).toBe(true);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  if (field !== undefined) expect(body.error.field).toBe(field);
  expect(httpStatusOf(code)).toBe(status);
};

const injected = async (app: FastifyInstance, request: InjectOptions): Promise<Answer> => {
  const response = await app.inject(request);
  return {
    status: response.statusCode,
    headers: response.headers as Record<string, string>,
    body: response.body,
  };
};

/** Sends raw bytes over a real socket and reads until the server closes it (or 5 s pass). */
const rawRequest = (url: string, ...chunks: string[]): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    collect(socket).then(resolve, reject);
  });

const collect = (socket: Socket): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const answers = parseAnswers(Buffer.concat(received).toString('utf8'));
      if (answers[0] === undefined) reject(new Error('no answer'));
      else resolve(answers[0]);
    });
  });

/** Splits HTTP/1.1 answers (Content-Length framed, as every error answer here is). */
const parseAnswers = (text: string): Answer[] => {
  const answers: Answer[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(
      lines.map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 1).trim(),
      ]),
    );
    const length = Number(headers['content-length'] ?? 0);
    const bodyBytes = Buffer.from(rest.slice(end + 4), 'utf8');
    answers.push({
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: bodyBytes.subarray(0, length).toString('utf8'),
    });
    rest = bodyBytes.subarray(length).toString('utf8');
  }
  return answers;
};

interface InjectCase {
  name: string;
  request: InjectOptions;
  status: number;
  code: ErrorCode;
  field?: string;
}

/**
 * The real app on PGlite, listening on a loopback port (for what `inject()` cannot send), with a few
 * routes of the test's own that throw what our code throws. Closed by the last test, which needs a server
 * that closes.
 */
let app: FastifyInstance;
let url: string;
let host: string;
let closeAll: () => Promise<void>;
beforeAll(async () => {
  const created = await pglite.create();
  const config = loadConfig({
    PUBLIC_BASE_URL: BASE,
    SHL_DEMO: 'false',
    SHL_API_KEY: API_KEY,
    ...created.env,
  });
  const db = await openDatabase(config);
  await migrateToLatest(db);
  ({ app } = await createApp({ config, db, keyEncryptionKey: new Uint8Array(randomBytes(32)) }));
  app.get('/test/server-error', async () => {
    throw new ServerError('SHL_LINK_REVOKED', 'revoked', { field: 'id' });
  });
  app.get('/test/core-error', async () => {
    throw new ShlError('SHL_INVALID_CONTENT', 'not FHIR', { field: 'content' });
  });
  app.get('/test/local-code', async () => {
    throw new ServerError('SHL_CONFIG_INVALID', 'SECRET_SETTING: leaked?', { field: 'SECRET_SETTING' });
  });
  app.get('/test/local-core-code', async () => {
    throw new ShlError('SHL_DECRYPT_FAILED', 'the key does not open the file');
  });
  app.get('/test/bug', async () => {
    throw new TypeError('cannot read properties of undefined');
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  host = new URL(url).host;
  closeAll = async () => {
    await app.close();
    await db.destroy();
    await created.drop();
  };
});
afterAll(() => closeAll?.());

describe('framework errors answer in our shape with our codes', () => {
  const cases: InjectCase[] = [
    {
      name: 'bad percent-encoding in a path parameter',
      request: { method: 'GET', url: '/api/links/%E0%A4%A', headers: AUTH },
      status: 400,
      code: 'SHL_INVALID_REQUEST_URL',
    },
    {
      name: 'an unknown route',
      request: { method: 'GET', url: '/nope' },
      status: 404,
      code: 'SHL_NOT_FOUND',
    },
    {
      // Fastify has no 405: a known path with another method is an unknown route.
      name: 'a known path with a method it does not take',
      request: { method: 'DELETE', url: '/healthz' },
      status: 404,
      code: 'SHL_NOT_FOUND',
    },
    {
      name: 'a method Fastify has no route for at all',
      request: { method: 'PROPFIND' as 'GET', url: '/api/links', headers: AUTH },
      status: 404,
      code: 'SHL_NOT_FOUND',
    },
    {
      name: 'a manifest request over 64 KiB',
      request: {
        method: 'POST',
        url: `/shl/${ID}`,
        headers: JSON_TYPE,
        payload: JSON.stringify({ recipient: 'r', padding: 'x'.repeat(70_000) }),
      },
      status: 413,
      code: 'SHL_BODY_TOO_LARGE',
    },
    {
      name: 'a path parameter over 100 characters',
      request: { method: 'GET', url: `/shl/${'a'.repeat(101)}?recipient=r` },
      status: 414,
      code: 'SHL_URI_TOO_LONG',
    },
    {
      name: 'a body that is not JSON',
      request: {
        method: 'POST',
        url: '/api/links',
        headers: { ...AUTH, 'content-type': 'text/plain' },
        payload: 'hello',
      },
      status: 415,
      code: 'SHL_UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'a Content-Type that does not parse',
      request: {
        method: 'POST',
        url: '/api/links',
        headers: { ...AUTH, 'content-type': '/' },
        payload: '{}',
      },
      status: 415,
      code: 'SHL_UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'JSON that does not parse',
      request: { method: 'POST', url: '/api/links', headers: { ...AUTH, ...JSON_TYPE }, payload: '{nope' },
      status: 400,
      code: 'SHL_INVALID_JSON',
    },
    {
      name: 'an empty JSON body',
      request: { method: 'POST', url: '/api/links', headers: { ...AUTH, ...JSON_TYPE }, payload: '' },
      status: 400,
      code: 'SHL_INVALID_JSON',
    },
    {
      name: 'JSON with a __proto__ key',
      request: {
        method: 'POST',
        url: `/shl/${ID}`,
        headers: JSON_TYPE,
        payload: '{"recipient":"r","__proto__":{"polluted":true}}',
      },
      status: 400,
      code: 'SHL_INVALID_JSON',
    },
    {
      name: 'bad JSON to an unknown route',
      request: { method: 'POST', url: '/nope', headers: JSON_TYPE, payload: '{nope' },
      status: 400,
      code: 'SHL_INVALID_JSON',
    },
    {
      name: 'a body shorter than its Content-Length',
      request: {
        method: 'POST',
        url: '/api/links',
        headers: { ...AUTH, ...JSON_TYPE, 'content-length': '100' },
        payload: '{}',
      },
      status: 400,
      code: 'SHL_INVALID_CONTENT_LENGTH',
    },
    {
      name: 'a body field of the wrong type',
      request: {
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: { resourceType: 'Patient' }, passcodeAttempts: 'five' },
      },
      status: 400,
      code: 'SHL_VALIDATION_FAILED',
      field: 'passcodeAttempts',
    },
    {
      name: 'a missing query parameter',
      request: { method: 'GET', url: `/shl/${ID}` },
      status: 400,
      code: 'SHL_VALIDATION_FAILED',
      field: 'recipient',
    },
    {
      name: 'a path parameter that fails its pattern',
      request: { method: 'GET', url: '/api/links/short', headers: AUTH },
      status: 400,
      code: 'SHL_VALIDATION_FAILED',
      field: 'id',
    },
  ];

  it.each(cases)('$name: $status $code', async ({ request, status, code, field }) => {
    expectOurError(await injected(app, request), status, code, field);
  });

  describe('over a real socket', () => {
    const post = (headers: string, body: string) =>
      `POST /shl/${ID} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n${headers}\r\n${body}`;

    it('a Content-Length that is not a number: 400 SHL_INVALID_CONTENT_LENGTH', async () => {
      const answer = await rawRequest(url, post('Content-Length: abc\r\n', '{}'));
      expectOurError(answer, 400, 'SHL_INVALID_CONTENT_LENGTH');
    });

    it('two Content-Length headers: 400 SHL_INVALID_CONTENT_LENGTH', async () => {
      const answer = await rawRequest(url, post('Content-Length: 2\r\nContent-Length: 3\r\n', '{}'));
      expectOurError(answer, 400, 'SHL_INVALID_CONTENT_LENGTH');
    });

    it('Content-Length with Transfer-Encoding: 400 SHL_INVALID_CONTENT_LENGTH', async () => {
      const answer = await rawRequest(
        url,
        post('Content-Length: 2\r\nTransfer-Encoding: chunked\r\n', '2\r\n{}\r\n0\r\n\r\n'),
      );
      expectOurError(answer, 400, 'SHL_INVALID_CONTENT_LENGTH');
    });

    it('a request line that is not HTTP: 400 SHL_BAD_REQUEST', async () => {
      expectOurError(await rawRequest(url, 'GARBAGE\r\n\r\n'), 400, 'SHL_BAD_REQUEST');
    });

    it('a method Node does not know: 400 SHL_BAD_REQUEST', async () => {
      const answer = await rawRequest(url, `FROB /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      expectOurError(answer, 400, 'SHL_BAD_REQUEST');
    });

    it('an HTTP/1.1 request without Host: 400 SHL_BAD_REQUEST', async () => {
      const answer = await rawRequest(url, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
      expectOurError(answer, 400, 'SHL_BAD_REQUEST');
    });

    it('a URL longer than Node reads (16 KiB of request line and headers): 431 SHL_HEADERS_TOO_LARGE', async () => {
      const answer = await rawRequest(
        url,
        `GET /shl/${ID}?recipient=${'r'.repeat(20_000)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      );
      expectOurError(answer, 431, 'SHL_HEADERS_TOO_LARGE');
    });

    it('an Expect header other than 100-continue: 417 SHL_EXPECTATION_FAILED', async () => {
      const answer = await rawRequest(
        url,
        `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nExpect: teapot\r\nConnection: close\r\n\r\n`,
      );
      expectOurError(answer, 417, 'SHL_EXPECTATION_FAILED');
    });

    it('bad percent-encoding, before any route runs: 400 SHL_INVALID_REQUEST_URL', async () => {
      const answer = await rawRequest(
        url,
        `GET /api/links/%E0%A4%A HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      expectOurError(answer, 400, 'SHL_INVALID_REQUEST_URL');
    });

    it('a path parameter over 100 characters, before any route runs: 414 SHL_URI_TOO_LONG', async () => {
      const answer = await rawRequest(
        url,
        `GET /shl/${'a'.repeat(101)}?recipient=r HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      expectOurError(answer, 414, 'SHL_URI_TOO_LONG');
    });
  });

  it('a request that times out: 408 SHL_REQUEST_TIMEOUT', async () => {
    // Node raises the timeout only after minutes; the handler Fastify calls then gets a real socket here.
    const listener = createServer();
    const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as { port: number };
    const client = connect(port, '127.0.0.1');
    const answer = collect(client);
    const timeout = Object.assign(new Error('request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
    const serverSide = await accepted;
    serverSide.on('error', () => {}); // the handler destroys the socket with the error it answered
    answerClientError.call(app, timeout, serverSide);
    expectOurError(await answer, 408, 'SHL_REQUEST_TIMEOUT');
    listener.close();
  });
});

describe('errors our code throws', () => {
  it('a ServerError answers its code, its status from the registry and its field', async () => {
    expectOurError(
      await injected(app, { method: 'GET', url: '/test/server-error' }),
      409,
      'SHL_LINK_REVOKED',
      'id',
    );
  });

  it('a ShlError from core answers its code and its status from the registry', async () => {
    expectOurError(
      await injected(app, { method: 'GET', url: '/test/core-error' }),
      400,
      'SHL_INVALID_CONTENT',
      'content',
    );
  });

  it.each(['/test/local-code', '/test/local-core-code', '/test/bug'])(
    '%s: a local code or a bug is 500 SHL_INTERNAL, and says nothing more',
    async (path) => {
      const answer = await injected(app, { method: 'GET', url: path });
      expectOurError(answer, 500, 'SHL_INTERNAL');
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: 'SHL_INTERNAL', message: 'internal server error' },
      });
    },
  );
});

describe('every error Fastify defines', () => {
  // Guards a Fastify upgrade: a new request error of Fastify's gets a code of ours, never its own.
  const errorCodes = Object.entries(Fastify.errorCodes) as [string, new (...args: string[]) => Error][];
  it.each(errorCodes)('%s answers a registry code with its status', (_name, FastifyErrorClass) => {
    const request = { log: app.log } as FastifyRequest;
    const { status, body } = answerError(new FastifyErrorClass('a', 'b', 'c'), request);
    expect(body.error.code).not.toMatch(/^FST_/);
    expect(httpStatusOf(body.error.code)).toBe(status);
  });
});

describe('a server that is closing', () => {
  it('answers requests still arriving on open connections with 503 SHL_SHUTTING_DOWN', async () => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const body = JSON.stringify({ recipient: 'r' });
    // A request in flight (its body half sent) keeps the connection from counting as idle...
    socket.write(
      `POST /shl/${ID} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = app.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // ...so the rest of it, and the next request on the same connection, arrive while the server closes.
    socket.write(`${body.slice(5)}GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    await new Promise((resolve) => socket.once('close', resolve));
    await closed;
    const [first, second] = parseAnswers(Buffer.concat(received).toString('utf8'));
    expectOurError(first!, 404, 'SHL_NOT_FOUND');
    expectOurError(second!, 503, 'SHL_SHUTTING_DOWN');
  });
});
