import { setTimeout as sleep } from 'node:timers/promises';
import { type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LinkDeps } from '../src/links/link-deps.js';
import { answerManifestRequest } from '../src/manifests/manifest.service.js';
import { serveActiveLink } from '../src/manifests/serve-active-link.js';
import {
  DEFAULT_HOLD_OPTIONS,
  type HoldResult,
  holdPasscodeAttempt,
  waitingGuesses,
} from '../src/passcodes/hold-attempt.js';
import { releaseHeldAttempt, releaseLiveHold } from '../src/passcodes/release-attempt.js';
import { cryptoRandom } from '../src/random.js';
import { testDatabases } from './support/databases.js';
import { oneRequestDeps } from './support/serving.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const patient = { resourceType: 'Patient' };
// The waiter cap of a busy production link is tens; two per remaining attempt keeps these tests small.
const CAPPED = { waitersPerAttempt: 2, maxWaitersPerLink: 32 };
const QUICK = { ...DEFAULT_HOLD_OPTIONS, ...CAPPED, pollMs: 5, maxWaitMs: 50 };

/**
 * How a passcode guess holds an attempt while it is compared (src/passcodes/hold-attempt.ts). The parallel
 * races over HTTP are in passcode-race.test.ts; these pin the waiting, the lapsing and the giving up.
 */
describe.each(testDatabases())('passcode attempt holds on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  const deps = () => ({ db: t.db, clock: t.clock, random: cryptoRandom });
  const createLink = async (body: Record<string, unknown>): Promise<string> => {
    const res = await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: body });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  /**
   * A guess in flight in some process (or one that crashed), holding an attempt for `seconds` more by the
   * database's clock (hold expiry never reads the app's clock, which in these tests is in 2030).
   */
  const holdFromElsewhere = (linkId: string, id: string, seconds = 30) =>
    t.db
      .insertInto('shl_passcode_holds')
      .values({
        id,
        link_id: linkId,
        expires_at: sql<Date>`statement_timestamp() + cast(${seconds} as double precision) * interval '1 second'`,
      })
      .execute();
  const linkDeps = (): LinkDeps => oneRequestDeps(t);
  const outcomesOf = async (linkId: string): Promise<string[]> =>
    (await t.app.inject({ url: `/api/links/${linkId}/accesses`, headers: AUTH }))
      .json()
      .accesses.map((entry: { outcome: string }) => entry.outcome);
  const holdsOf = async (linkId: string) =>
    (await t.db.selectFrom('shl_passcode_holds').select('id').where('link_id', '=', linkId).execute()).map(
      (row) => row.id,
    );
  const manifest = (id: string, passcode: string) =>
    t.app.inject({ method: 'POST', url: `/shl/${id}`, payload: { recipient: 'r', passcode } });

  it('holds at most as many attempts as remain, and gives up as busy when none frees up in time', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 2 });
    const first = await holdPasscodeAttempt(deps(), linkId, QUICK);
    const second = await holdPasscodeAttempt(deps(), linkId, QUICK);
    expect([first.kind, second.kind]).toEqual(['held', 'held']);
    expect(await holdPasscodeAttempt(deps(), linkId, QUICK)).toEqual({ kind: 'busy' });
    expect(await holdsOf(linkId)).toHaveLength(2);
  });

  it('ten guesses at once at a 2-attempt link: exactly two hold, four wait and give up busy, four are busy at once', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 2 });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => holdPasscodeAttempt(deps(), linkId, QUICK)),
    );
    expect(results.filter((result) => result.kind === 'held')).toHaveLength(2);
    expect(results.filter((result) => result.kind === 'busy')).toHaveLength(8);
    expect(await holdsOf(linkId)).toHaveLength(2);
  });

  it('a waiting guess takes the attempt as soon as the guess holding it lets go', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'elsewhere');
    const waiting = holdPasscodeAttempt(deps(), linkId, { ...QUICK, maxWaitMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.db.deleteFrom('shl_passcode_holds').where('id', '=', 'elsewhere').execute();
    expect((await waiting).kind).toBe('held');
  });

  it('a waiting guess answers inactive once the guesses holding the attempts lock the link', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'elsewhere');
    const waiting = holdPasscodeAttempt(deps(), linkId, { ...QUICK, maxWaitMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.db.updateTable('shl_passcodes').set({ remaining: 0 }).where('link_id', '=', linkId).execute();
    expect(await waiting).toEqual({ kind: 'inactive' });
  });

  it('a hold left by a crashed process lapses when it expires, and a right passcode is served then', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'crashed', DEFAULT_HOLD_OPTIONS.holdMs / 1000);
    expect(await holdPasscodeAttempt(deps(), linkId, QUICK)).toEqual({ kind: 'busy' });
    // holdMs later, by the database's clock.
    await t.db
      .updateTable('shl_passcode_holds')
      .set({ expires_at: sql<Date>`statement_timestamp() - interval '1 millisecond'` })
      .where('id', '=', 'crashed')
      .execute();
    expect((await manifest(linkId, 'pw')).statusCode).toBe(200);
    // The lapsed hold is cleared, the right guess let its own go, and nothing was spent.
    expect(await holdsOf(linkId)).toEqual([]);
    const view = (await t.app.inject({ url: `/api/links/${linkId}`, headers: AUTH })).json();
    expect(view).toMatchObject({ status: 'active', remainingAttempts: 1 });
  });

  it('a wrong passcode turns its hold into a spent attempt, a right one gives it back', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 3 });
    expect((await manifest(linkId, 'no')).json()).toMatchObject({
      remainingAttempts: 2,
      error: { code: 'SHL_WRONG_PASSCODE' },
    });
    expect((await manifest(linkId, 'pw')).statusCode).toBe(200);
    expect(await holdsOf(linkId)).toEqual([]);
    const view = (await t.app.inject({ url: `/api/links/${linkId}`, headers: AUTH })).json();
    expect(view.remainingAttempts).toBe(2);
  });

  it('a passcode compared right against a hash the link no longer has does not serve it', async () => {
    // A guess compared while the owner changed the passcode must not get in with the old one.
    const linkId = await createLink({ content: patient, passcode: 'old' });
    const held = await holdPasscodeAttempt(deps(), linkId, QUICK);
    if (held.kind !== 'held') throw new Error(`expected a hold, got ${held.kind}`);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${linkId}`,
      headers: AUTH,
      payload: { passcode: 'new' },
    });
    const serve = (hash: string) =>
      serveActiveLink(t.db, {
        linkId,
        now: new Date(t.clock.now()),
        recipient: 'r',
        path: 'manifest',
        passcode: { kind: 'verified', hash },
        longTermChecked: true,
      });
    expect(await serve(held.hold.hash)).toBeUndefined();
    const current = await t.db
      .selectFrom('shl_passcodes')
      .select('hash')
      .where('link_id', '=', linkId)
      .executeTakeFirstOrThrow();
    expect((await serve(current.hash))?.files).toHaveLength(1);
  });

  it('a guess at a link that is not active takes no hold', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw' });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${linkId}`,
      headers: AUTH,
      payload: { active: false },
    });
    expect(await holdPasscodeAttempt(deps(), linkId, QUICK)).toEqual({ kind: 'inactive' });
    expect(await holdsOf(linkId)).toEqual([]);
  });

  it('answers a guess that waited in vain as rate-limited (429, Retry-After 1), logged, spending nothing', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'slow');
    // The service itself, so that the wait can be short; public.routes.ts turns this answer into the 429.
    const answer = await answerManifestRequest(linkDeps(), linkId, { recipient: 'r', passcode: 'pw' }, QUICK);
    expect(answer).toEqual({ kind: 'rate-limited', retryAfter: 1 });
    const log = (await t.app.inject({ url: `/api/links/${linkId}/accesses`, headers: AUTH })).json();
    expect(log.accesses.map((entry: { outcome: string }) => entry.outcome)).toEqual(['rate-limited']);
    const view = (await t.app.inject({ url: `/api/links/${linkId}`, headers: AUTH })).json();
    expect(view.remainingAttempts).toBe(1);
    expect(await holdsOf(linkId)).toEqual(['slow']);
  });

  it("expires holds by the database's clock: a process whose clock runs ahead takes no live hold for lapsed", async () => {
    // The app's clock here is in 2030, years ahead of the database's; the hold has 30 s left by the latter.
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'live', 30);
    expect(await holdPasscodeAttempt(deps(), linkId, QUICK)).toEqual({ kind: 'busy' });
    expect(await holdsOf(linkId)).toEqual(['live']);
    await t.db.deleteFrom('shl_passcode_holds').where('id', '=', 'live').execute();
    // A hold taken now expires holdMs from the database's now, not from the app's 2030.
    const held = await holdPasscodeAttempt(deps(), linkId, QUICK);
    if (held.kind !== 'held') throw new Error(`expected a hold, got ${held.kind}`);
    const row = await t.db
      .selectFrom('shl_passcode_holds')
      .select(sql<number>`extract(epoch from expires_at - statement_timestamp())`.as('left'))
      .where('id', '=', held.hold.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.left)).toBeGreaterThan(DEFAULT_HOLD_OPTIONS.holdMs / 1000 - 10);
    expect(Number(row.left)).toBeLessThanOrEqual(DEFAULT_HOLD_OPTIONS.holdMs / 1000);
  });

  it('lets only 2 x remaining guesses at a link wait in a process: the rest are busy at once', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'capped');
    const stop = new AbortController();
    // A wait far longer than the test: only the waiter cap can answer the eight quickly.
    const long = { ...DEFAULT_HOLD_OPTIONS, ...CAPPED, maxWaitMs: 120_000 };
    const settled: HoldResult[] = [];
    const guesses = Array.from({ length: 10 }, () =>
      holdPasscodeAttempt(deps(), linkId, long, stop.signal).then((result) => {
        settled.push(result);
        return result;
      }),
    );
    await vi.waitFor(() => expect(settled).toHaveLength(8), { timeout: 20_000, interval: 20 });
    expect(settled.every((result) => result.kind === 'busy')).toBe(true);
    expect(waitingGuesses(linkId)).toBe(2);
    // The two waiting stop as soon as their signal aborts, holding nothing.
    stop.abort();
    const results = await Promise.all(guesses);
    expect(results.filter((result) => result.kind === 'aborted')).toHaveLength(2);
    expect(waitingGuesses(linkId)).toBe(0);
    expect(await holdsOf(linkId)).toEqual(['capped']);
  });

  it(`a flood of right passcodes at a 1-attempt link whose attempt is held: ${DEFAULT_HOLD_OPTIONS.maxWaitersPerLink} wait, the rest get 429 at once`, async () => {
    const cap = DEFAULT_HOLD_OPTIONS.maxWaitersPerLink;
    const extra = 16;
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'burst');
    const answers: { status: number; retryAfter: unknown }[] = [];
    const burst = Array.from({ length: cap + extra }, () =>
      manifest(linkId, 'pw').then((res) => {
        answers.push({ status: res.statusCode, retryAfter: res.headers['retry-after'] });
        return res;
      }),
    );
    // Long before the 15 s wait could end, all but the waiting ones are answered.
    await vi.waitFor(() => expect(answers).toHaveLength(extra), { timeout: 10_000, interval: 20 });
    expect(answers.every((answer) => answer.status === 429 && answer.retryAfter === '1')).toBe(true);
    expect(waitingGuesses(linkId)).toBe(cap);
    // The guess holding the attempt turns out wrong and locks the link: every waiting one learns it (404).
    await t.db.updateTable('shl_passcodes').set({ remaining: 0 }).where('link_id', '=', linkId).execute();
    await t.db.deleteFrom('shl_passcode_holds').where('id', '=', 'burst').execute();
    const done = await Promise.all(burst);
    expect(done.filter((res) => res.statusCode === 404)).toHaveLength(cap);
    expect(waitingGuesses(linkId)).toBe(0);
    const outcomes = await outcomesOf(linkId);
    expect(outcomes.filter((outcome) => outcome === 'rate-limited')).toHaveLength(extra);
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(0);
  });

  it('gives up at the deadline in elapsed time, not in pauses, even when every look is slow', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'slow-looks');
    let looks = 0;
    // Every statement answers 150 ms late, as on a loaded server.
    const slow: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        looks++;
        await sleep(150);
        return args.result;
      },
    };
    const slowDeps = { ...deps(), db: t.db.withPlugin(slow) };
    const result = await holdPasscodeAttempt(slowDeps, linkId, {
      ...DEFAULT_HOLD_OPTIONS,
      pollMs: 25,
      maxWaitMs: 300,
    });
    expect(result).toEqual({ kind: 'busy' });
    // 300 ms of deadline at >= 150 ms a look leaves room for at most three looks (counting pauses, as
    // before, it took twelve or more, and seconds).
    expect(looks).toBeGreaterThanOrEqual(1);
    expect(looks).toBeLessThanOrEqual(3);
  });

  it('a waiting guess whose client disconnects stops waiting at once, holding and logging nothing', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'disconnect');
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const client = new AbortController();
    const request = fetch(`${address}/shl/${linkId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recipient: 'r', passcode: 'pw' }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(waitingGuesses(linkId)).toBe(1), { timeout: 20_000, interval: 20 });
    client.abort();
    await request;
    // The wait would last 15 s; the closed connection ends it (generous bound for a loaded machine).
    await vi.waitFor(() => expect(waitingGuesses(linkId)).toBe(0), { timeout: 5_000, interval: 20 });
    expect(await holdsOf(linkId)).toEqual(['disconnect']);
    expect(await outcomesOf(linkId)).toEqual([]);
    const view = (await t.app.inject({ url: `/api/links/${linkId}`, headers: AUTH })).json();
    expect(view.remainingAttempts).toBe(1);
  });

  it('does not serve a right passcode whose hold lapsed during its compare: 429, logged, nothing spent', async () => {
    // A compare stalled past its hold may have run beside another guess on the same attempt.
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    const lapsing = { ...QUICK, holdMs: 1 };
    const answer = await answerManifestRequest(
      linkDeps(),
      linkId,
      { recipient: 'r', passcode: 'pw' },
      lapsing,
    );
    expect(answer).toEqual({ kind: 'rate-limited', retryAfter: 1 });
    expect(await outcomesOf(linkId)).toEqual(['rate-limited']);
    expect(await holdsOf(linkId)).toEqual([]);
    const again = await answerManifestRequest(linkDeps(), linkId, { recipient: 'r', passcode: 'pw' }, QUICK);
    expect(again.kind).toBe('manifest');
    const view = (await t.app.inject({ url: `/api/links/${linkId}`, headers: AUTH })).json();
    expect(view).toMatchObject({ status: 'active', remainingAttempts: 1 });
  });
  // A pause far longer than any test: a guess still waiting after it shows that the wait did not end.
  const LONG_PAUSE = {
    ...DEFAULT_HOLD_OPTIONS,
    ...CAPPED,
    pollMs: 60_000,
    maxPollMs: 60_000,
    maxWaitMs: 120_000,
  };

  it('a guess whose client is already gone returns aborted before looking, even at a link that is not active', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await t.app.inject({ method: 'DELETE', url: `/api/links/${linkId}`, headers: AUTH });
    expect(await holdPasscodeAttempt(deps(), linkId, QUICK, AbortSignal.abort())).toEqual({
      kind: 'aborted',
    });
  });

  it('a guess whose client goes away during its look takes no hold', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    // Not aborted when the guess starts, aborted by the time its look has answered.
    let reads = 0;
    const signal = {
      get aborted() {
        reads += 1;
        return reads > 1;
      },
    } as AbortSignal;
    expect(await holdPasscodeAttempt(deps(), linkId, QUICK, signal)).toEqual({ kind: 'aborted' });
    expect(await holdsOf(linkId)).toEqual([]);
  });

  it('a waiting guess stops in the middle of a long pause when its client goes away', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'long-pause');
    const client = new AbortController();
    const waiting = holdPasscodeAttempt(deps(), linkId, LONG_PAUSE, client.signal);
    await vi.waitFor(() => expect(waitingGuesses(linkId)).toBe(1), { timeout: 10_000, interval: 10 });
    const abortedAt = performance.now();
    client.abort();
    expect(await waiting).toEqual({ kind: 'aborted' });
    // The pause was 60 s; the abort ends it (a generous bound for a loaded machine).
    expect(performance.now() - abortedAt).toBeLessThan(5_000);
    expect(waitingGuesses(linkId)).toBe(0);
  });

  it('counts each waiting guess until it stops: one of two leaving leaves one waiting', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'two-waiters');
    const [first, second] = [new AbortController(), new AbortController()];
    const waits = [first, second].map((client) =>
      holdPasscodeAttempt(deps(), linkId, LONG_PAUSE, client.signal),
    );
    await vi.waitFor(() => expect(waitingGuesses(linkId)).toBe(2), { timeout: 10_000, interval: 10 });
    first.abort();
    expect(await waits[0]).toEqual({ kind: 'aborted' });
    expect(waitingGuesses(linkId)).toBe(1);
    second.abort();
    expect(await waits[1]).toEqual({ kind: 'aborted' });
    expect(waitingGuesses(linkId)).toBe(0);
  });

  it('a waiting guess at a link deleted meanwhile answers inactive', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'deleted-meanwhile');
    const waiting = holdPasscodeAttempt(deps(), linkId, { ...QUICK, maxWaitMs: 5_000 });
    await vi.waitFor(() => expect(waitingGuesses(linkId)).toBe(1), { timeout: 10_000, interval: 10 });
    await t.db.deleteFrom('shl_links').where('id', '=', linkId).execute();
    expect(await waiting).toEqual({ kind: 'inactive' });
  });

  it('a link that expires between the look and the taking of a hold is not held', async () => {
    const exp = Math.floor(t.clock.now() / 1000) + 60;
    const linkId = await createLink({
      content: patient,
      passcode: 'pw',
      passcodeAttempts: 1,
      expiresAt: exp,
    });
    // The look sees the link a second before exp, the hold is taken a second after it.
    const times = [exp * 1000 - 1000, exp * 1000 + 1000];
    const clock = { now: () => times.shift() ?? exp * 1000 + 1000 };
    expect(await holdPasscodeAttempt({ ...deps(), clock }, linkId, QUICK)).toEqual({ kind: 'inactive' });
    expect(await holdsOf(linkId)).toEqual([]);
  });

  it('waits with pauses that double from pollMs up to maxPollMs', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'back-off');
    let looks = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        looks++;
        return args.result;
      },
    };
    const result = await holdPasscodeAttempt({ ...deps(), db: t.db.withPlugin(counting) }, linkId, {
      ...DEFAULT_HOLD_OPTIONS,
      ...CAPPED,
      pollMs: 40,
      maxPollMs: 160,
      maxWaitMs: 600,
    });
    expect(result).toEqual({ kind: 'busy' });
    // Pauses of 40, 80, 160, 160, 160 ms fill the 600 ms: six looks at most, however fast each look is.
    // Halving instead of doubling would look dozens of times.
    expect(looks).toBeGreaterThanOrEqual(2);
    expect(looks).toBeLessThanOrEqual(6);
  });

  it('releaseHeldAttempt lets go of the hold and spends nothing', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    const held = await holdPasscodeAttempt(deps(), linkId, QUICK);
    if (held.kind !== 'held') throw new Error(`expected a hold, got ${held.kind}`);
    expect(await holdsOf(linkId)).toEqual([held.hold.id]);
    await releaseHeldAttempt(t.db, held.hold);
    expect(await holdsOf(linkId)).toEqual([]);
    const view = (await t.app.inject({ url: `/api/links/${linkId}`, headers: AUTH })).json();
    expect(view).toMatchObject({ status: 'active', remainingAttempts: 1 });
  });

  it('releaseLiveHold says false for a hold that is already gone', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    const held = await holdPasscodeAttempt(deps(), linkId, QUICK);
    if (held.kind !== 'held') throw new Error(`expected a hold, got ${held.kind}`);
    expect(await releaseLiveHold(t.db, held.hold)).toBe(true);
    expect(await releaseLiveHold(t.db, held.hold)).toBe(false);
  });
});
