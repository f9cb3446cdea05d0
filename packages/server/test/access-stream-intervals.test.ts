import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordAccess } from '../src/access-log/access-log.repository.js';
import { type AccessStreamOptions, streamAccesses } from '../src/access-log/access-stream.js';
import type { Database } from '../src/db/schema.js';
import { testDatabases } from './support/databases.js';
import { createLinkId } from './support/serving.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * `streamAccesses` on its own, over real HTTP and a real database, with intervals short enough to watch
 * each of them work: the poll by id, the heartbeat, the recheck of the caller's credentials, and the ends
 * (the caller's, the client's, a failed database). access-stream.test.ts covers the route with the default
 * intervals.
 */
const FAST: AccessStreamOptions = { pollMs: 15, heartbeatMs: 40, recheckMs: 60 };

interface OpenStream {
  /** Everything the stream has written so far. */
  text(): string;
  /** Resolves once the text matches `pattern`, or fails after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** Resolves when the server ended the response. */
  ended: Promise<void>;
  close(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A `stillAllowed` that always says yes and counts how often it was asked. */
const counting = () => {
  const checks = { asked: 0, stillAllowed: async () => true };
  checks.stillAllowed = async () => {
    checks.asked += 1;
    return true;
  };
  return checks;
};

/** Resolves once `condition` holds, or fails after `ms`: timers fire late on a loaded machine. */
const until = async (condition: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('not in time');
    await sleep(5);
  }
};

describe.each(testDatabases())('streamAccesses with short intervals on $name', (target) => {
  let t: TestApp;
  let server: Server;
  let base: string;
  /** What the next request's handler streams with; each test sets its own. */
  let setup: {
    db?: Database;
    linkId: string;
    afterId: number;
    options: AccessStreamOptions;
    stillAllowed: () => Promise<boolean>;
  };
  let endOfLast: (() => void) | undefined;
  /** Resolves when the server saw the last response close. */
  let closedOnServer: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    t = await startTestApp(target);
    server = createServer((_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      closedOnServer = new Promise((resolve) => res.once('close', () => resolve()));
      endOfLast = streamAccesses(
        setup.db ?? t.db,
        setup.linkId,
        setup.afterId,
        res,
        setup.options,
        setup.stillAllowed,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => endOfLast?.());
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  const open = async (): Promise<OpenStream> => {
    const abort = new AbortController();
    const res = await fetch(base, { signal: abort.signal });
    const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
    if (reader === undefined) throw new Error('no body');
    let text = '';
    let resolveEnded: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      resolveEnded = resolve;
    });
    void (async () => {
      try {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          text += chunk.value;
        }
        resolveEnded();
      } catch {
        // aborted by close(): not an end the server chose
      }
    })();
    return {
      text: () => text,
      waitFor: async (pattern, ms = 5_000) => {
        const deadline = Date.now() + ms;
        while (!pattern.test(text)) {
          if (Date.now() > deadline) throw new Error(`no ${pattern} in time; got ${JSON.stringify(text)}`);
          await sleep(5);
        }
        return text;
      },
      ended,
      close: () => abort.abort(),
    };
  };

  const log = (linkId: string, recipient: string) =>
    recordAccess(t.db, {
      linkId,
      at: new Date(t.clock.now()),
      recipient,
      path: 'manifest',
      outcome: 'ok',
    });

  const idsOf = async (linkId: string): Promise<number[]> =>
    (
      await t.db
        .selectFrom('shl_access_log')
        .select('id')
        .where('link_id', '=', linkId)
        .orderBy('id', 'asc')
        .execute()
    ).map((row) => Number(row.id));

  const events = (text: string) =>
    [...text.matchAll(/id: (\d+)\nevent: access\ndata: (.*)\n\n/g)].map((match) => ({
      id: Number(match[1]),
      access: JSON.parse(match[2] ?? '') as { id: string; recipient: string },
    }));

  it('sends the accesses after afterId, oldest first, each once, with its id as the event id', async () => {
    const linkId = await createLinkId(t);
    await log(linkId, 'one');
    await log(linkId, 'two');
    await log(linkId, 'three');
    const [first] = await idsOf(linkId);
    setup = { linkId, afterId: first ?? 0, options: FAST, stillAllowed: async () => true };
    const stream = await open();
    try {
      await stream.waitFor(/three/);
      await log(linkId, 'four');
      await stream.waitFor(/four/);
      // Several polls more: what was sent is not sent again.
      await sleep(FAST.pollMs * 6);
      const sent = events(stream.text());
      expect(sent.map((event) => event.access.recipient)).toEqual(['two', 'three', 'four']);
      expect(sent.map((event) => event.id)).toEqual((await idsOf(linkId)).slice(1));
      for (const event of sent) expect(event.access.id).toBe(String(event.id));
    } finally {
      stream.close();
    }
  });

  it('sends only this link’s accesses', async () => {
    const linkId = await createLinkId(t);
    const other = await createLinkId(t);
    setup = { linkId, afterId: 0, options: FAST, stillAllowed: async () => true };
    const stream = await open();
    try {
      await log(other, 'elsewhere');
      await log(linkId, 'here');
      await stream.waitFor(/here/);
      await sleep(FAST.pollMs * 4);
      expect(events(stream.text()).map((event) => event.access.recipient)).toEqual(['here']);
    } finally {
      stream.close();
    }
  });

  it('writes a heartbeat comment every heartbeatMs while nothing happens', async () => {
    const linkId = await createLinkId(t);
    setup = { linkId, afterId: 0, options: FAST, stillAllowed: async () => true };
    const stream = await open();
    try {
      await stream.waitFor(/(: heartbeat\n\n){3}/);
      expect(events(stream.text())).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it('asks stillAllowed every recheckMs, and keeps streaming while the answer is yes', async () => {
    const linkId = await createLinkId(t);
    const checks = counting();
    setup = { linkId, afterId: 0, options: FAST, stillAllowed: checks.stillAllowed };
    const stream = await open();
    try {
      await until(() => checks.asked >= 2);
      await log(linkId, 'still here');
      await stream.waitFor(/still here/);
    } finally {
      stream.close();
    }
  });

  it.each([
    ['says no', async () => false],
    [
      'fails',
      async () => {
        throw new Error('the check failed');
      },
    ],
  ])('ends the stream once stillAllowed %s, and sends nothing more', async (_case, answer) => {
    const linkId = await createLinkId(t);
    let asked = 0;
    setup = {
      linkId,
      afterId: 0,
      options: FAST,
      stillAllowed: async () => {
        asked += 1;
        return asked === 1 ? true : answer();
      },
    };
    const stream = await open();
    await stream.ended;
    const askedAtEnd = asked;
    expect(askedAtEnd).toBe(2);
    await log(linkId, 'after the end');
    await sleep(FAST.recheckMs * 3);
    // No poll, no heartbeat, no recheck once ended.
    expect(asked).toBe(askedAtEnd);
    expect(stream.text()).not.toContain('after the end');
  });

  it('ends when the function it returned is called, and a second call changes nothing', async () => {
    const linkId = await createLinkId(t);
    const checks = counting();
    setup = { linkId, afterId: 0, options: FAST, stillAllowed: checks.stillAllowed };
    const stream = await open();
    await stream.waitFor(/heartbeat/);
    endOfLast?.();
    endOfLast?.();
    await stream.ended;
    const askedAtEnd = checks.asked;
    await sleep(FAST.recheckMs * 3);
    expect(checks.asked).toBe(askedAtEnd);
  });

  it('stops every timer when the client goes away', async () => {
    const linkId = await createLinkId(t);
    const checks = counting();
    setup = { linkId, afterId: 0, options: FAST, stillAllowed: checks.stillAllowed };
    const stream = await open();
    await until(() => checks.asked >= 1);
    stream.close();
    await closedOnServer;
    const askedAfterClose = checks.asked;
    await sleep(FAST.recheckMs * 3);
    expect(checks.asked).toBe(askedAfterClose);
  });

  it('ends the stream, rather than hang, when its database fails', async () => {
    const gone = await startTestApp(target);
    const linkId = await createLinkId(gone);
    await gone.close();
    const checks = counting();
    setup = {
      db: gone.db,
      linkId,
      afterId: 0,
      options: { ...FAST, recheckMs: 60_000 },
      stillAllowed: checks.stillAllowed,
    };
    const stream = await open();
    await stream.ended;
    expect(checks.asked).toBe(0);
  });
});
