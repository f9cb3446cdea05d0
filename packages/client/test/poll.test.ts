import { encryptFile } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, type ResolvedLink } from '../src/index.js';
import { type Handler, type HttpFixture, local, sendJson, startHttpFixture } from './http-fixture.js';
import { linkTo } from './links.js';
import { SPEC_EXAMPLE_KEY } from '../../../test-support/samples.js';

let server: HttpFixture;
beforeAll(async () => {
  server = await startHttpFixture();
});
afterAll(() => server.close());

const bundle = (id: string) => JSON.stringify({ resourceType: 'Bundle', id, type: 'collection' });
const manifestOf = async (id: string, lastUpdated: string, status = 'can-change') => ({
  status,
  files: [
    {
      contentType: 'application/fhir+json',
      lastUpdated,
      // A fresh IV each time, as a real server re-encrypts: the JWE changes even when the content does not.
      embedded: await encryptFile(bundle(id), SPEC_EXAMPLE_KEY, { contentType: 'application/fhir+json' }),
    },
  ],
});

/** Serves the given answers in turn, one per manifest request. */
const inTurn = (answers: Handler[]): Handler => {
  let next = 0;
  return (req, res) => {
    const answer = answers[Math.min(next, answers.length - 1)];
    next += 1;
    return answer?.(req, res);
  };
};

const collect = async (updates: AsyncIterable<ResolvedLink>) => {
  const ids: string[] = [];
  for await (const update of updates)
    ids.push(String((update.files[0]?.json as { id?: string } | undefined)?.id));
  return ids;
};

describe('poll on an L link', () => {
  it('yields the first answer and each change, waits for Retry-After, and ends when the link goes inactive', async () => {
    server.routes.set(
      '/m/live',
      inTurn([
        async (_req, res) =>
          sendJson(res, 200, await manifestOf('a', '2025-01-01T00:00:00Z'), { 'retry-after': '120' }),
        async (_req, res) => sendJson(res, 200, await manifestOf('a', '2025-01-01T00:00:00Z')),
        (_req, res) => {
          res.writeHead(429, { 'retry-after': '300' }).end();
        },
        async (_req, res) => sendJson(res, 200, await manifestOf('b', '2025-01-02T00:00:00Z')),
        (_req, res) => {
          res.writeHead(404).end();
        },
      ]),
    );
    const waits: number[] = [];

    const ids = await collect(
      poll(linkTo(`${server.origin}/m/live`, { flag: 'L' }), {
        recipient: 'r',
        minIntervalMs: 1000,
        sleep: async (ms) => {
          waits.push(ms);
        },
        ...local,
      }),
    );

    expect(ids).toEqual(['a', 'b']);
    expect(waits).toEqual([120_000, 1000, 300_000, 1000]);
  });

  it('ends after the first answer when the manifest says finalized', async () => {
    server.routes.set('/m/final', async (_req, res) =>
      sendJson(res, 200, await manifestOf('z', '2025-01-01T00:00:00Z', 'finalized')),
    );
    const waits: number[] = [];

    const ids = await collect(
      poll(linkTo(`${server.origin}/m/final`, { flag: 'L' }), {
        recipient: 'r',
        sleep: async (ms) => {
          waits.push(ms);
        },
        ...local,
      }),
    );

    expect(ids).toEqual(['z']);
    expect(waits).toEqual([]);
  });

  it('ends quietly when the caller aborts while waiting', async () => {
    server.routes.set('/m/forever', async (_req, res) =>
      sendJson(res, 200, await manifestOf('f', '2025-01-01T00:00:00Z')),
    );
    const controller = new AbortController();
    const before = server.requests.length;

    const ids = await collect(
      poll(linkTo(`${server.origin}/m/forever`, { flag: 'L' }), {
        recipient: 'r',
        signal: controller.signal,
        sleep: async () => {
          controller.abort();
        },
        ...local,
      }),
    );

    expect(ids).toEqual(['f']);
    expect(server.requests.length - before).toBe(1);
  });

  it('throws errors other than rate limiting and inactivity to the caller', async () => {
    server.routes.set('/m/locked', (_req, res) => sendJson(res, 401, { remainingAttempts: 2 }));

    await expect(
      collect(
        poll(linkTo(`${server.origin}/m/locked`, { flag: 'LP' }), {
          recipient: 'r',
          passcode: 'x',
          ...local,
        }),
      ),
    ).rejects.toMatchObject({ code: 'SHL_WRONG_PASSCODE', remainingAttempts: 2 });
  });
});
