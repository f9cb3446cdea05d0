import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerError } from '../src/errors.js';
import { createBatcher } from '../src/group-commit/batcher.js';
import { type BatchRequest, serveMany } from '../src/group-commit/serve-many.js';
import { createServingBatches } from '../src/group-commit/serving-batches.js';
import { hashTicket } from '../src/files/file-tickets.js';
import { testDatabases } from './support/databases.js';
import {
  accessLogOf,
  createLinkId,
  deferred,
  locationBatchRequests,
  manifestRequest,
  usesOf as usesOfLink,
} from './support/serving.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const overloaded = () => new ServerError('SHL_UNAVAILABLE', 'too many waiting');
const clientGone = () => new ServerError('SHL_BAD_REQUEST', 'client gone');

/** Resolves after the batcher's end-of-turn start (a `setImmediate` queued before this one) has run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the batcher (natural batching, no timer)', () => {
  /** A batcher that doubles each item at once and records every batch it ran. */
  const doublingBatcher = (maxInFlight: number) => {
    const batches: number[][] = [];
    const batcher = createBatcher(
      async (items: readonly number[]) => {
        batches.push([...items]);
        return items.map((n) => n * 2);
      },
      { maxBatch: 10, maxInFlight, maxQueued: 100, overloaded, clientGone },
    );
    return { batcher, batches };
  };

  it('runs a lone request in a batch of its own, without waiting for company', async () => {
    const { batcher, batches } = doublingBatcher(1);
    const answer = batcher.submit(21);
    await nextTurn();
    expect(batches).toEqual([[21]]);
    expect(await answer).toBe(42);
  });

  it('sends the requests of one turn of the event loop together, without waiting for more', async () => {
    const { batcher, batches } = doublingBatcher(2);
    // Parsed one after another from bytes that arrived together: with a batch slot free, the first would
    // otherwise have gone alone and the rest after it.
    const answers = [1, 2, 3].map((n) => batcher.submit(n));
    expect(batches).toEqual([]);
    expect(await Promise.all(answers)).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('sends the requests that arrive while a batch is in the database together, as the next batch', async () => {
    const batches: number[][] = [];
    const gates: Array<ReturnType<typeof deferred<void>>> = [];
    const batcher = createBatcher(
      async (items: readonly number[]) => {
        batches.push([...items]);
        const gate = deferred<void>();
        gates.push(gate);
        await gate.promise;
        return items.map((n) => n + 100);
      },
      { maxBatch: 10, maxInFlight: 1, maxQueued: 100, overloaded, clientGone },
    );
    const answers = [batcher.submit(1)];
    await nextTurn();
    expect(batches).toEqual([[1]]);
    answers.push(...[2, 3, 4, 5].map((n) => batcher.submit(n)));
    await nextTurn();
    expect(batches).toEqual([[1]]);
    gates[0]?.resolve();
    await expect(answers[0]).resolves.toBe(101);
    await nextTurn();
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
    gates[1]?.resolve();
    expect(await Promise.all(answers)).toEqual([101, 102, 103, 104, 105]);
  });

  it('keeps to maxBatch per batch and maxInFlight batches at once', async () => {
    const batches: number[][] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const batcher = createBatcher(
      async (items: readonly number[]) => {
        batches.push([...items]);
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return items;
      },
      { maxBatch: 3, maxInFlight: 2, maxQueued: 100, overloaded, clientGone },
    );
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => batcher.submit(n)));
    expect(answers).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(Math.max(...batches.map((batch) => batch.length))).toBe(3);
    expect(mostInFlight).toBe(2);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(answers);
  });

  it('refuses at once what would wait past maxQueued, and takes requests again once the queue drains', async () => {
    const gate = deferred<void>();
    const batcher = createBatcher(
      async (items: readonly number[]) => {
        await gate.promise;
        return items;
      },
      { maxBatch: 10, maxInFlight: 1, maxQueued: 3, overloaded, clientGone },
    );
    // The first goes to the database at the end of its turn; three wait; the fifth finds the queue full.
    const accepted = [batcher.submit(1)];
    await nextTurn();
    accepted.push(...[2, 3, 4].map((n) => batcher.submit(n)));
    await expect(batcher.submit(5)).rejects.toMatchObject({ code: 'SHL_UNAVAILABLE' });
    gate.resolve();
    expect(await Promise.all(accepted)).toEqual([1, 2, 3, 4]);
    await expect(batcher.submit(6)).resolves.toBe(6);
  });

  it('leaves out of its batch a request whose client left while it waited, and fails it with clientGone', async () => {
    const gate = deferred<void>();
    const batches: string[][] = [];
    const batcher = createBatcher(
      async (items: readonly string[]) => {
        batches.push([...items]);
        await gate.promise;
        return items;
      },
      { maxBatch: 10, maxInFlight: 1, maxQueued: 100, overloaded, clientGone },
    );
    const first = batcher.submit('a');
    await nextTurn();
    // Three wait behind the first batch; the client of 'c' leaves meanwhile, and 'e' and 'f' both leave.
    let cLeft = false;
    const waiting = [batcher.submit('b', () => false), batcher.submit('c', () => cLeft), batcher.submit('d')];
    cLeft = true;
    gate.resolve();
    await expect(first).resolves.toBe('a');
    await expect(waiting[0]).resolves.toBe('b');
    await expect(waiting[1]).rejects.toMatchObject({ code: 'SHL_BAD_REQUEST' });
    await expect(waiting[2]).resolves.toBe('d');
    expect(batches).toEqual([['a'], ['b', 'd']]);
    // A batch all of whose clients left does not run at all.
    const gone = [batcher.submit('e', () => true), batcher.submit('f', () => true)];
    for (const answer of gone) await expect(answer).rejects.toMatchObject({ code: 'SHL_BAD_REQUEST' });
    await expect(batcher.submit('g')).resolves.toBe('g');
    expect(batches).toEqual([['a'], ['b', 'd'], ['g']]);
  });

  it('makes room in a full queue by dropping requests whose clients have gone, before refusing a live one', async () => {
    const gate = deferred<void>();
    let dropped = 0;
    const batcher = createBatcher(
      async (items: readonly number[]) => {
        await gate.promise;
        return items;
      },
      {
        maxBatch: 10,
        maxInFlight: 1,
        maxQueued: 3,
        overloaded,
        clientGone,
        dropped: () => (dropped += 1),
      },
    );
    const first = batcher.submit(1);
    await nextTurn();
    // The database stalls; three clients queue and two give up; one stays.
    let left = false;
    const gone = [2, 3].map((n) => batcher.submit(n, () => left));
    const stays = batcher.submit(4, () => false);
    left = true;
    // Full of three: the two gone are dropped to make room, so the live one is taken, not refused.
    const late = batcher.submit(5);
    for (const answer of gone) await expect(answer).rejects.toMatchObject({ code: 'SHL_BAD_REQUEST' });
    expect(dropped).toBe(2);
    // Full again, of live requests only: refused.
    const more = batcher.submit(6);
    await expect(batcher.submit(7)).rejects.toMatchObject({ code: 'SHL_UNAVAILABLE' });
    gate.resolve();
    expect(await Promise.all([first, stays, late, more])).toEqual([1, 4, 5, 6]);
  });

  it('fails every request of a failed batch, and runs the next batch as usual', async () => {
    let calls = 0;
    const gate = deferred<void>();
    const batcher = createBatcher(
      async (items: readonly string[]) => {
        calls += 1;
        if (calls === 2) throw Object.assign(new Error('connection lost'), { code: '57P01' });
        if (calls === 1) await gate.promise;
        return items;
      },
      { maxBatch: 10, maxInFlight: 1, maxQueued: 100, overloaded, clientGone },
    );
    const first = batcher.submit('a');
    await nextTurn();
    const failed = [batcher.submit('b'), batcher.submit('c')];
    gate.resolve();
    await expect(first).resolves.toBe('a');
    for (const answer of failed) await expect(answer).rejects.toMatchObject({ code: '57P01' });
    await expect(batcher.submit('d')).resolves.toBe('d');
  });

  it('fails every request of a batch that gives a result count other than its size, rather than answer one with another’s', async () => {
    const gate = deferred<void>();
    let calls = 0;
    const batcher = createBatcher(
      async (items: readonly string[]) => {
        calls += 1;
        if (calls === 1) {
          await gate.promise;
          return items;
        }
        return items.slice(1);
      },
      { maxBatch: 10, maxInFlight: 1, maxQueued: 100, overloaded, clientGone },
    );
    const first = batcher.submit('a');
    await nextTurn();
    const short = [batcher.submit('b'), batcher.submit('c')];
    gate.resolve();
    await expect(first).resolves.toBe('a');
    for (const answer of short) await expect(answer).rejects.toThrow('a batch of 2 gave 1 results');
  });
});

describe.each(testDatabases())('serving in one statement (serveMany) on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  const logOf = (linkId: string) => accessLogOf(t, linkId);
  const usesOf = (linkId: string) => usesOfLink(t, linkId);
  const now = () => new Date(t.clock.now());

  it('serves every request of a batch for one link, counts each as a use, and logs each in arrival order', async () => {
    const id = await createLinkId(t);
    const recipients = Array.from({ length: 12 }, (_, n) => `clinic ${n}`);
    const results = await serveMany(
      t.db,
      'manifest',
      now(),
      recipients.map((recipient) => manifestRequest(id, recipient)),
    );
    expect(results.every((result) => result?.files.length === 1)).toBe(true);
    // One link's files are read once and shared by its requests.
    expect(results[0]?.files[0]).toBe(results[11]?.files[0]);
    expect(await usesOf(id)).toBe(12);
    expect(await logOf(id)).toEqual(
      recipients.map((recipient) => ({ recipient, path: 'manifest', outcome: 'ok', file_id: null })),
    );
  });

  it('keeps each link’s last access once per batch, at the batch’s instant', async () => {
    const [first, second] = [await createLinkId(t), await createLinkId(t)];
    t.clock.advance(60_000);
    const at = now();
    await serveMany(t.db, 'manifest', at, [
      manifestRequest(first, 'a'),
      manifestRequest(second, 'b'),
      manifestRequest(first, 'c'),
    ]);
    const activity = await t.db
      .selectFrom('shl_link_activity')
      .select(['link_id', 'last_access_ms'])
      .where('link_id', 'in', [first, second])
      .execute();
    expect(new Map(activity.map((row) => [row.link_id, Number(row.last_access_ms)]))).toEqual(
      new Map([
        [first, at.getTime()],
        [second, at.getTime()],
      ]),
    );
  });

  it('leaves to the one-request path every request it may not serve, and writes nothing for them', async () => {
    const active = await createLinkId(t);
    const revoked = await createLinkId(t);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/links/${revoked}`, headers: AUTH })).statusCode,
    ).toBeLessThan(300);
    const withPasscode = await createLinkId(t, { passcode: 'open sesame' });
    const limited = await createLinkId(t, { maxUses: 3 });
    const direct = await createLinkId(t, { direct: true });
    const unknown = 'A'.repeat(43);
    const results = await serveMany(t.db, 'manifest', now(), [
      manifestRequest(active, 'a'),
      manifestRequest(revoked, 'b'),
      manifestRequest(withPasscode, 'c'),
      manifestRequest(unknown, 'd'),
      // Its file is longer than the cap: it needs a `location` ticket, which only the other path issues.
      manifestRequest(active, 'e', 10),
      manifestRequest(limited, 'f'),
      // The second request of a use-limited link in one batch waits for the other path.
      manifestRequest(limited, 'g'),
      // SHL: a U link has no manifest.
      manifestRequest(direct, 'h'),
    ]);
    expect(results.map((result) => result !== undefined)).toEqual([
      true,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect((await logOf(active)).map((row) => row.recipient)).toEqual(['a']);
    expect(await usesOf(active)).toBe(1);
    expect(await logOf(limited)).toHaveLength(1);
    expect(await usesOf(limited)).toBe(1);
    for (const id of [revoked, withPasscode, direct]) {
      expect(await logOf(id)).toEqual([]);
      expect(await usesOf(id)).toBe(0);
    }
  });

  it('never serves a use-limited link past its limit, however many batches run at once', async () => {
    const id = await createLinkId(t, { maxUses: 3 });
    const batches = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        serveMany(t.db, 'manifest', now(), [manifestRequest(id, `r${n}`), manifestRequest(id, `s${n}`)]),
      ),
    );
    const served = batches.flat().filter((result) => result !== undefined);
    expect(served).toHaveLength(3);
    expect(await usesOf(id)).toBe(3);
    expect((await logOf(id)).filter((row) => row.outcome === 'ok')).toHaveLength(3);
  });

  it('serves a U link’s file by direct GET and logs the file it served', async () => {
    const id = await createLinkId(t, { direct: true });
    const [served] = await serveMany(t.db, 'direct', now(), [
      { path: 'direct', linkId: id, recipient: 'er' },
    ]);
    const fileId = served?.files[0]?.id;
    expect(fileId).toEqual(expect.any(String));
    expect(await logOf(id)).toEqual([{ recipient: 'er', path: 'direct', outcome: 'ok', file_id: fileId }]);
    expect(await usesOf(id)).toBe(1);
  });

  it('serves a `location` GET only with a live ticket for that very file, logged under the ticket’s recipient', async () => {
    const id = await createLinkId(t, { files: undefined, content: { resourceType: 'Patient', id: 'q' } });
    const answer = await t.app.inject({
      method: 'POST',
      url: `/shl/${id}`,
      payload: { recipient: 'ticket holder', embeddedLengthMax: 0 },
    });
    expect(answer.statusCode).toBe(200);
    const location = new URL(answer.json<{ files: Array<{ location: string }> }>().files[0]?.location ?? '');
    const fileId = location.pathname.split('/').at(-1) ?? '';
    const ticket = location.searchParams.get('ticket') ?? '';
    const request = (overrides: Partial<Extract<BatchRequest, { path: 'file' }>> = {}): BatchRequest => ({
      path: 'file',
      linkId: id,
      fileId,
      ticketHash: hashTicket(ticket),
      ...overrides,
    });
    const results = await serveMany(t.db, 'file', now(), [
      request(),
      request({ ticketHash: hashTicket(`${ticket}x`) }),
      request({ fileId: 'another-file' }),
    ]);
    expect(results.map((result) => result?.files.map((file) => file.id))).toEqual([
      [fileId],
      undefined,
      undefined,
    ]);
    const rows = (await logOf(id)).filter((row) => row.path === 'file');
    expect(rows).toEqual([{ recipient: 'ticket holder', path: 'file', outcome: 'ok', file_id: fileId }]);
    // A `location` GET is not a use: only the manifest answer counted.
    expect(await usesOf(id)).toBe(1);
    // Past the ticket's hour, the same request is left alone.
    t.clock.advance(3_600_000);
    expect(await serveMany(t.db, 'file', now(), [request()])).toEqual([undefined]);
  });

  it('gives each `location` GET of a batch its own file only, when one link has several', async () => {
    const id = await createLinkId(t, {
      content: undefined,
      files: [
        { contentType: 'application/fhir+json', content: { resourceType: 'Patient', id: 'first' } },
        { contentType: 'application/fhir+json', content: { resourceType: 'Patient', id: 'second' } },
      ],
    });
    const answer = await t.app.inject({
      method: 'POST',
      url: `/shl/${id}`,
      payload: { recipient: 'two files', embeddedLengthMax: 0 },
    });
    expect(answer.statusCode).toBe(200);
    const requests = locationBatchRequests(id, answer.json<{ files: Array<{ location: string }> }>().files);
    expect(requests).toHaveLength(2);
    const results = await serveMany(t.db, 'file', now(), [...requests].reverse());
    expect(results.map((result) => result?.files.map((file) => file.id))).toEqual(
      [...requests].reverse().map((request) => [(request as { fileId: string }).fileId]),
    );
  });

  /** A `location` GET request for each file of the link, from a manifest answer with every file by location. */
  const locationRequests = async (linkId: string): Promise<BatchRequest[]> => {
    const answer = await t.app.inject({
      method: 'POST',
      url: `/shl/${linkId}`,
      payload: { recipient: 'by location', embeddedLengthMax: 0 },
    });
    expect(answer.statusCode).toBe(200);
    return locationBatchRequests(linkId, answer.json<{ files: Array<{ location: string }> }>().files);
  };

  it('answers an empty batch with no results, on every path', async () => {
    for (const path of ['manifest', 'direct', 'file'] as const)
      expect(await serveMany(t.db, path, now(), [])).toEqual([]);
  });

  it('refuses a batch that mixes a `location` GET with uses, before touching the database', async () => {
    const id = await createLinkId(t);
    const [location] = await locationRequests(id);
    if (location === undefined) throw new Error('a location request');
    await expect(serveMany(t.db, 'manifest', now(), [location])).rejects.toThrow(
      'a location request in a batch of uses',
    );
    await expect(serveMany(t.db, 'file', now(), [manifestRequest(id, 'x')])).rejects.toThrow(
      'a use in a batch of location requests',
    );
    expect((await logOf(id)).filter((row) => row.recipient === 'x')).toEqual([]);
  });

  it('serves the manifest of an L link only when no poll interval applies, and its `location` files always', async () => {
    const id = await createLinkId(t, { longTerm: true });
    expect(await serveMany(t.db, 'manifest', now(), [manifestRequest(id, 'poller')])).toEqual([undefined]);
    const [served] = await serveMany(t.db, 'manifest', now(), [manifestRequest(id, 'poller')], true);
    expect(served?.flags).toContain('L');
    const [location] = await locationRequests(id);
    if (location === undefined) throw new Error('a location request');
    const [file] = await serveMany(t.db, 'file', now(), [location]);
    expect(file?.files).toHaveLength(1);
  });
});

describe.each(testDatabases())(
  'the serving batches of a process (createServingBatches) on $name',
  (target) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(target);
    });
    afterAll(() => t?.close());

    it('sends manifest, direct-file and `location` requests each to its own path', async () => {
      const batches = createServingBatches(t.db, t.clock, { longTermChecked: false, maxInFlight: 1 });
      const id = await createLinkId(t);
      const direct = await createLinkId(t, { direct: true });
      const manifest = await batches.manifest({ path: 'manifest', linkId: id, recipient: 'm', cap: null });
      expect(manifest?.files).toHaveLength(1);
      expect(await batches.direct({ path: 'direct', linkId: direct, recipient: 'd' })).toMatchObject({
        flags: expect.stringContaining('U'),
      });
      // A direct GET is not a manifest request, nor the other way round: each path's rule holds.
      expect(
        await batches.manifest({ path: 'manifest', linkId: direct, recipient: 'm', cap: null }),
      ).toBeUndefined();
      expect(await batches.direct({ path: 'direct', linkId: id, recipient: 'd' })).toBeUndefined();
      const answer = await t.app.inject({
        method: 'POST',
        url: `/shl/${id}`,
        payload: { recipient: 'l', embeddedLengthMax: 0 },
      });
      const [request] = locationBatchRequests(
        id,
        answer.json<{ files: Array<{ location: string }> }>().files,
      );
      if (request === undefined) throw new Error('a location request');
      const file = await batches.location(request);
      expect(file?.files).toHaveLength(1);
      expect((await accessLogOf(t, id)).map((row) => [row.path, row.recipient])).toEqual([
        ['manifest', 'm'],
        ['manifest', 'l'],
        ['file', 'l'],
      ]);
    });

    it('answers 503 SHL_UNAVAILABLE at once past 4,096 requests waiting while the database is held up, and serves the rest', async () => {
      const batches = createServingBatches(t.db, t.clock, { longTermChecked: false, maxInFlight: 1 });
      const id = await createLinkId(t);
      const release = deferred<void>();
      const locked = deferred<void>();
      // Another transaction holds the link row: the first batch waits on it, and the rest queue behind.
      const holder = t.db.transaction().execute(async (trx) => {
        await trx.selectFrom('shl_links').select('id').where('id', '=', id).forUpdate().execute();
        locked.resolve();
        await release.promise;
      });
      await locked.promise;
      const request = { path: 'manifest', linkId: id, recipient: 'q', cap: null } as const;
      // The first goes to the database at the end of its turn and waits there; 4,096 queue behind it.
      const first = batches.manifest(request);
      await nextTurn();
      const waiting = [first, ...Array.from({ length: 4096 }, () => batches.manifest(request))];
      await expect(batches.manifest(request)).rejects.toMatchObject({ code: 'SHL_UNAVAILABLE' });
      release.resolve();
      await holder;
      const served = await Promise.all(waiting);
      expect(served.filter((result) => result !== undefined)).toHaveLength(4097);
    });
  },
);
