import { randomBytes, scryptSync } from 'node:crypto';
import { encodeBase64url } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkDeps } from '../src/links/link-deps.js';
import { answerManifestRequest } from '../src/manifests/manifest.service.js';
import { DEFAULT_HOLD_OPTIONS, holdPasscodeAttempt } from '../src/passcodes/hold-attempt.js';
import { spendHeldAttempt } from '../src/passcodes/spend-attempt.js';
import { testDatabases } from './support/databases.js';
import { accessLogOf, createLinkId, oneRequestDeps, remainingAttemptsOf } from './support/serving.js';
import { BASE, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The one-request path of the manifest request (src/manifests/manifest.service.ts): in the app, group
 * commit serves every manifest it can and leaves this path the rest (passcodes, `location` tickets, L links
 * under a poll limit); a service called without batches takes it for everything. What it decides here is
 * what a receiver gets: embedded or `location`, for how long a ticket lives, which refusal, what is spent.
 */
describe.each(testDatabases())('manifest answers without group commit, on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  const deps = (settings: Partial<LinkDeps['settings']> = {}): LinkDeps => {
    const base = oneRequestDeps(t);
    return { ...base, settings: { ...base.settings, ...settings } };
  };
  const fileOf = (linkId: string) =>
    t.db
      .selectFrom('shl_files')
      .select(['id', 'jwe'])
      .where('link_id', '=', linkId)
      .executeTakeFirstOrThrow();
  const ticketsOf = (linkId: string) =>
    t.db
      .selectFrom('shl_file_tickets')
      .select(['file_id', 'recipient', 'expires_at'])
      .where('link_id', '=', linkId)
      .execute();
  const remainingOf = (linkId: string) => remainingAttemptsOf(t, linkId);

  it('embeds a file exactly as long as the cap, and sends one a character longer as a location URL', async () => {
    const linkId = await createLinkId(t);
    const file = await fileOf(linkId);
    const exact = await answerManifestRequest(deps(), linkId, {
      recipient: 'clinic',
      embeddedLengthMax: file.jwe.length,
    });
    expect(exact).toMatchObject({ kind: 'manifest', manifest: { status: 'finalized' } });
    if (exact.kind !== 'manifest') throw new Error('a manifest');
    expect(exact.manifest.files).toEqual([
      { contentType: expect.any(String), lastUpdated: expect.any(String), embedded: file.jwe },
    ]);
    expect(await ticketsOf(linkId)).toEqual([]);

    // The receiver's cap, one under: a location URL on the public base, with a ticket.
    const under = await answerManifestRequest(deps(), linkId, {
      recipient: 'clinic',
      embeddedLengthMax: file.jwe.length - 1,
    });
    if (under.kind !== 'manifest') throw new Error('a manifest');
    const [entry] = under.manifest.files;
    expect(entry?.embedded).toBeUndefined();
    expect(entry?.location).toMatch(
      new RegExp(`^${BASE}/shl/${linkId}/files/${file.id}\\?ticket=[A-Za-z0-9_-]{43}$`),
    );
    // The server's cap counts the same way when the receiver sets none.
    const served = await answerManifestRequest(deps({ embeddedLengthMax: file.jwe.length - 1 }), linkId, {
      recipient: 'clinic',
    });
    if (served.kind !== 'manifest') throw new Error('a manifest');
    expect(served.manifest.files[0]?.location).toMatch(/\?ticket=/);
  });

  it('issues a location ticket for this recipient, valid for locationTtlSeconds from now', async () => {
    const linkId = await createLinkId(t);
    const file = await fileOf(linkId);
    await answerManifestRequest(deps({ locationTtlSeconds: 600 }), linkId, {
      recipient: 'Dr. Ticket',
      embeddedLengthMax: 0,
    });
    const [ticket, ...more] = await ticketsOf(linkId);
    expect(more).toEqual([]);
    expect(ticket?.file_id).toBe(file.id);
    expect(ticket?.recipient).toBe('Dr. Ticket');
    expect(new Date(ticket?.expires_at as Date).getTime()).toBe(t.clock.now() + 600_000);
  });

  it('clears expired tickets when it issues new ones', async () => {
    const linkId = await createLinkId(t);
    await answerManifestRequest(deps(), linkId, { recipient: 'first', embeddedLengthMax: 0 });
    t.clock.advance(3_601_000);
    await answerManifestRequest(deps(), linkId, { recipient: 'second', embeddedLengthMax: 0 });
    expect((await ticketsOf(linkId)).map((ticket) => ticket.recipient)).toEqual(['second']);
  });

  it('answers a manifest request for a U link with the uniform not-found, logged as wrong-method', async () => {
    const linkId = await createLinkId(t, { direct: true });
    expect(await answerManifestRequest(deps(), linkId, { recipient: 'poster' })).toEqual({
      kind: 'not-found',
    });
    expect(await accessLogOf(t, linkId)).toEqual([
      { path: 'manifest', outcome: 'wrong-method', recipient: 'poster', file_id: null },
    ]);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
  ])('asks for a %s passcode, spending nothing and logging passcode-required', async (_case, passcode) => {
    const linkId = await createLinkId(t, { passcode: 'right', passcodeAttempts: 3 });
    const answer = await answerManifestRequest(deps(), linkId, {
      recipient: 'asker',
      ...(passcode === undefined ? {} : { passcode }),
    });
    expect(answer).toEqual({ kind: 'passcode', code: 'SHL_PASSCODE_REQUIRED', remainingAttempts: 3 });
    expect(await remainingOf(linkId)).toBe(3);
    expect(await accessLogOf(t, linkId)).toEqual([
      { path: 'manifest', outcome: 'passcode-required', recipient: 'asker', file_id: null },
    ]);
  });

  it('marks a long-term link can-change, with the poll interval as retryAfter only when one is set', async () => {
    const linkId = await createLinkId(t, { longTerm: true });
    const open = await answerManifestRequest(deps({ pollIntervalSeconds: 0 }), linkId, { recipient: 'a' });
    expect(open).toMatchObject({ kind: 'manifest', manifest: { status: 'can-change' } });
    expect(open).not.toHaveProperty('retryAfter');

    const limited = deps({ pollIntervalSeconds: 30 });
    expect(await answerManifestRequest(limited, linkId, { recipient: 'b' })).toMatchObject({
      kind: 'manifest',
      manifest: { status: 'can-change' },
      retryAfter: 30,
    });
    // The same recipient again at once: told to wait the whole interval, and that is logged.
    expect(await answerManifestRequest(limited, linkId, { recipient: 'b' })).toEqual({
      kind: 'rate-limited',
      retryAfter: 30,
    });
    // Another recipient is not held back by b's poll.
    expect(await answerManifestRequest(limited, linkId, { recipient: 'c' })).toMatchObject({
      kind: 'manifest',
    });
    expect((await accessLogOf(t, linkId)).map((row) => [row.recipient, row.outcome])).toEqual([
      ['a', 'ok'],
      ['b', 'ok'],
      ['b', 'rate-limited'],
      ['c', 'ok'],
    ]);
  });

  it('polls a long-term link with a passcode no faster than the interval, spending no attempt while it waits', async () => {
    const linkId = await createLinkId(t, { longTerm: true, passcode: 'right', passcodeAttempts: 2 });
    const limited = deps({ pollIntervalSeconds: 30 });
    expect(await answerManifestRequest(limited, linkId, { recipient: 'p', passcode: 'right' })).toMatchObject(
      { kind: 'manifest', retryAfter: 30 },
    );
    t.clock.advance(10_000);
    expect(await answerManifestRequest(limited, linkId, { recipient: 'p', passcode: 'wrong' })).toEqual({
      kind: 'rate-limited',
      retryAfter: 20,
    });
    expect(await remainingOf(linkId)).toBe(2);
  });

  it('lets the held attempt go when comparing the passcode fails, and spends nothing', async () => {
    const linkId = await createLinkId(t, { passcode: 'right', passcodeAttempts: 3 });
    // A stored hash whose cost scrypt refuses: the compare throws.
    await t.db
      .updateTable('shl_passcodes')
      .set({ hash: 'scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })
      .where('link_id', '=', linkId)
      .execute();
    await expect(
      answerManifestRequest(deps(), linkId, { recipient: 'guesser', passcode: 'right' }),
    ).rejects.toThrow();
    expect(await remainingOf(linkId)).toBe(3);
    const holds = await t.db
      .selectFrom('shl_passcode_holds')
      .select('id')
      .where('link_id', '=', linkId)
      .execute();
    expect(holds).toEqual([]);
  });

  /**
   * Stores a hash of `passcode` with p = 8 (eight times the work of the server's own hashes, same memory):
   * the compare then takes long enough for a test to act while a guess is being compared.
   */
  const slowHash = async (linkId: string, passcode: string) => {
    const salt = randomBytes(16);
    const key = scryptSync(passcode.normalize('NFC'), salt, 32, {
      N: 16384,
      r: 8,
      p: 8,
      maxmem: 64 * 1024 * 1024,
    });
    await t.db
      .updateTable('shl_passcodes')
      .set({ hash: ['scrypt', 16384, 8, 8, encodeBase64url(salt), encodeBase64url(key)].join('$') })
      .where('link_id', '=', linkId)
      .execute();
  };
  const holdsOf = (linkId: string) =>
    t.db.selectFrom('shl_passcode_holds').select('id').where('link_id', '=', linkId).execute();
  const until = async (condition: () => Promise<boolean>) => {
    const deadline = Date.now() + 5_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('not in time');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };

  it('stops a guess whose client is already gone: nothing held, spent or logged', async () => {
    const linkId = await createLinkId(t, { passcode: 'right', passcodeAttempts: 2 });
    const answer = await answerManifestRequest(
      deps(),
      linkId,
      { recipient: 'gone', passcode: 'right' },
      DEFAULT_HOLD_OPTIONS,
      { signal: AbortSignal.abort() },
    );
    // Whatever is answered reaches nobody; the service says "come back" rather than fail.
    expect(answer).toEqual({ kind: 'rate-limited', retryAfter: 1 });
    expect(await remainingOf(linkId)).toBe(2);
    expect(await holdsOf(linkId)).toEqual([]);
    expect(await accessLogOf(t, linkId)).toEqual([]);
  });

  it('spends one attempt on a wrong passcode and says how many are left', async () => {
    const linkId = await createLinkId(t, { passcode: 'right', passcodeAttempts: 3 });
    expect(await answerManifestRequest(deps(), linkId, { recipient: 'w', passcode: 'wrong' })).toEqual({
      kind: 'passcode',
      code: 'SHL_WRONG_PASSCODE',
      remainingAttempts: 2,
    });
    expect(await remainingOf(linkId)).toBe(2);
    expect(await accessLogOf(t, linkId)).toEqual([
      { path: 'manifest', outcome: 'wrong-passcode', recipient: 'w', file_id: null },
    ]);
  });

  it('does not limit polling of a passcode link without flag L', async () => {
    const linkId = await createLinkId(t, { passcode: 'right', passcodeAttempts: 3 });
    const limited = deps({ pollIntervalSeconds: 30 });
    for (let n = 0; n < 2; n++) {
      const answer = await answerManifestRequest(limited, linkId, { recipient: 'same', passcode: 'right' });
      expect(answer).toMatchObject({ kind: 'manifest', manifest: { status: 'finalized' } });
      expect(answer).not.toHaveProperty('retryAfter');
    }
  });

  it('tells a guess that found every attempt held for the whole wait to come back, spending nothing', async () => {
    const linkId = await createLinkId(t, { passcode: 'right', passcodeAttempts: 1 });
    const other = await holdPasscodeAttempt(deps(), linkId);
    expect(other.kind).toBe('held');
    const answer = await answerManifestRequest(
      deps(),
      linkId,
      { recipient: 'waited', passcode: 'right' },
      { ...DEFAULT_HOLD_OPTIONS, pollMs: 5, maxPollMs: 5, maxWaitMs: 50 },
    );
    expect(answer).toEqual({ kind: 'rate-limited', retryAfter: 1 });
    expect(await remainingOf(linkId)).toBe(1);
    expect(await accessLogOf(t, linkId)).toEqual([
      { path: 'manifest', outcome: 'rate-limited', recipient: 'waited', file_id: null },
    ]);
  });

  it('does not serve a right guess whose hold lapsed while it was compared: 429, logged, nothing spent', async () => {
    const linkId = await createLinkId(t, { passcode: 'right', passcodeAttempts: 2 });
    await slowHash(linkId, 'right');
    const answer = await answerManifestRequest(
      deps(),
      linkId,
      { recipient: 'slow', passcode: 'right' },
      { ...DEFAULT_HOLD_OPTIONS, holdMs: 1 },
    );
    expect(answer).toEqual({ kind: 'rate-limited', retryAfter: 1 });
    expect(await remainingOf(linkId)).toBe(2);
    expect(await holdsOf(linkId)).toEqual([]);
    expect(await accessLogOf(t, linkId)).toEqual([
      { path: 'manifest', outcome: 'rate-limited', recipient: 'slow', file_id: null },
    ]);
  });

  it('answers the uniform not-found to a wrong guess whose lapsed attempt another guess spent meanwhile', async () => {
    const linkId = await createLinkId(t, { passcode: 'right', passcodeAttempts: 1 });
    await slowHash(linkId, 'right');
    const slow = answerManifestRequest(
      deps(),
      linkId,
      { recipient: 'slow', passcode: 'wrong' },
      { ...DEFAULT_HOLD_OPTIONS, holdMs: 1 },
    );
    // While the slow guess is compared, its hold lapses and another guess takes and spends the last attempt.
    await until(async () => (await holdsOf(linkId)).length === 1);
    const other = await holdPasscodeAttempt(deps(), linkId);
    if (other.kind !== 'held') throw new Error(`the lapsed attempt should be free, got ${other.kind}`);
    expect(await spendHeldAttempt(t.db, other.hold, { at: new Date(t.clock.now()), recipient: 'fast' })).toBe(
      0,
    );
    expect(await slow).toEqual({ kind: 'not-found' });
    expect(await remainingOf(linkId)).toBe(0);
    expect((await accessLogOf(t, linkId)).map((row) => [row.recipient, row.outcome])).toEqual([
      ['fast', 'wrong-passcode'],
      ['slow', 'inactive'],
    ]);
  });
});
