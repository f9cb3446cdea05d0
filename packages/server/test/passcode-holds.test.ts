import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyWrapper } from '../src/key-wrapping/key-wrapper.js';
import type { LinkDeps } from '../src/links/link-deps.js';
import { answerManifestRequest } from '../src/manifests/manifest.service.js';
import { serveActiveLink } from '../src/manifests/serve-active-link.js';
import { DEFAULT_HOLD_OPTIONS, holdPasscodeAttempt } from '../src/passcodes/hold-attempt.js';
import { cryptoRandom } from '../src/random.js';
import { testDatabases } from './support/databases.js';
import { AUTH, BASE, startTestApp, type TestApp } from './support/test-app.js';

const patient = { resourceType: 'Patient' };
const QUICK = { ...DEFAULT_HOLD_OPTIONS, pollMs: 5, maxWaitMs: 50 };

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
  /** A guess in flight in some process (or one that crashed), holding an attempt until `expiresAt`. */
  const holdFromElsewhere = (linkId: string, id: string, expiresAt: Date) =>
    t.db.insertInto('shl_passcode_holds').values({ id, link_id: linkId, expires_at: expiresAt }).execute();
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

  it('ten guesses at once at a 2-attempt link: exactly two hold, the others wait and give up busy', async () => {
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
    await holdFromElsewhere(linkId, 'elsewhere', new Date(t.clock.now() + 30_000));
    const waiting = holdPasscodeAttempt(deps(), linkId, { ...QUICK, maxWaitMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.db.deleteFrom('shl_passcode_holds').where('id', '=', 'elsewhere').execute();
    expect((await waiting).kind).toBe('held');
  });

  it('a waiting guess answers inactive once the guesses holding the attempts lock the link', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'elsewhere', new Date(t.clock.now() + 30_000));
    const waiting = holdPasscodeAttempt(deps(), linkId, { ...QUICK, maxWaitMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.db.updateTable('shl_passcodes').set({ remaining: 0 }).where('link_id', '=', linkId).execute();
    expect(await waiting).toEqual({ kind: 'inactive' });
  });

  it('a hold left by a crashed process lapses after holdMs, and a right passcode is served then', async () => {
    const linkId = await createLink({ content: patient, passcode: 'pw', passcodeAttempts: 1 });
    await holdFromElsewhere(linkId, 'crashed', new Date(t.clock.now() + DEFAULT_HOLD_OPTIONS.holdMs));
    expect(await holdPasscodeAttempt(deps(), linkId, QUICK)).toEqual({ kind: 'busy' });
    t.clock.advance(DEFAULT_HOLD_OPTIONS.holdMs);
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
    await holdFromElsewhere(linkId, 'slow', new Date(t.clock.now() + 30_000));
    // The service itself, so that the wait can be short; public.routes.ts turns this answer into the 429.
    const linkDeps: LinkDeps = {
      db: t.db,
      clock: t.clock,
      random: cryptoRandom,
      keys: createKeyWrapper(cryptoRandom(32), cryptoRandom),
      publicBaseUrl: () => BASE,
      settings: {
        defaultPasscodeAttempts: 5,
        fhirContentTypeParam: true,
        compressFiles: false,
        embeddedLengthMax: 100_000,
        locationTtlSeconds: 3600,
        pollIntervalSeconds: 0,
      },
    };
    const answer = await answerManifestRequest(linkDeps, linkId, { recipient: 'r', passcode: 'pw' }, QUICK);
    expect(answer).toEqual({ kind: 'rate-limited', retryAfter: 1 });
    const log = (await t.app.inject({ url: `/api/links/${linkId}/accesses`, headers: AUTH })).json();
    expect(log.accesses.map((entry: { outcome: string }) => entry.outcome)).toEqual(['rate-limited']);
    const view = (await t.app.inject({ url: `/api/links/${linkId}`, headers: AUTH })).json();
    expect(view.remainingAttempts).toBe(1);
    expect(await holdsOf(linkId)).toEqual(['slow']);
  });
});
