import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AttemptHold,
  DEFAULT_HOLD_OPTIONS,
  holdPasscodeAttempt,
} from '../src/passcodes/hold-attempt.js';
import { spendHeldAttempt } from '../src/passcodes/spend-attempt.js';
import { cryptoRandom } from '../src/random.js';
import { testDatabases } from './support/databases.js';
import { remainingAttemptsOf } from './support/serving.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The lifetime passcode count at its exact boundary (issue 12), on the embedded database as well as on
 * PostgreSQL: with one attempt left, one wrong guess locks the link, and the count never goes below 0,
 * however many settled guesses meet it at once.
 */
describe.each(testDatabases())('the lifetime passcode lockout at its boundary, on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  const createLink = async (attempts: number): Promise<string> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: AUTH,
      payload: { content: { resourceType: 'Patient' }, passcode: 'right', passcodeAttempts: attempts },
    });
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: string }).id;
  };
  const guess = (id: string, passcode: string) =>
    t.app.inject({ method: 'POST', url: `/shl/${id}`, payload: { recipient: 'r', passcode } });
  const owner = async (id: string) =>
    (await t.app.inject({ url: `/api/links/${id}`, headers: AUTH })).json() as {
      status: string;
      remainingAttempts: number;
    };
  const remaining = (id: string) => remainingAttemptsOf(t, id);
  const wrongPasscodeLogs = async (id: string) =>
    (await t.db.selectFrom('shl_access_log').select('outcome').where('link_id', '=', id).execute()).filter(
      (row) => row.outcome === 'wrong-passcode',
    ).length;
  const takeHold = async (id: string): Promise<AttemptHold> => {
    const held = await holdPasscodeAttempt({ db: t.db, clock: t.clock, random: cryptoRandom }, id, {
      ...DEFAULT_HOLD_OPTIONS,
      maxWaitMs: 0,
    });
    if (held.kind !== 'held') throw new Error(`expected a hold, got ${held.kind}`);
    return held.hold;
  };
  /** Lets every hold of the link lapse, as when the process that took it crashed mid-compare. */
  const lapseHolds = (id: string) =>
    sql`update shl_passcode_holds set expires_at = statement_timestamp() - interval '1 hour'
      where link_id = ${id}`.execute(t.db);

  it('with two attempts left a wrong guess leaves one; with one left a wrong guess locks the link', async () => {
    const id = await createLink(2);
    const first = await guess(id, 'wrong 1');
    expect(first.statusCode).toBe(401);
    expect(first.json()).toMatchObject({ remainingAttempts: 1, error: { code: 'SHL_WRONG_PASSCODE' } });
    expect(await owner(id)).toEqual(expect.objectContaining({ status: 'active', remainingAttempts: 1 }));
    expect((await guess(id, 'right')).statusCode).toBe(200);

    const last = await guess(id, 'wrong 2');
    expect(last.statusCode).toBe(401);
    expect(last.json()).toMatchObject({ remainingAttempts: 0, error: { code: 'SHL_WRONG_PASSCODE' } });
    expect(await owner(id)).toEqual(expect.objectContaining({ status: 'locked', remainingAttempts: 0 }));
    const after = await guess(id, 'right');
    expect(after.statusCode).toBe(404);
    expect(after.json().error.code).toBe('SHL_NOT_FOUND');
    expect(await remaining(id)).toBe(0);
  });

  it('a wrong guess settled at remaining 1 spends it (0 left); one settled at remaining 0 spends nothing', async () => {
    const id = await createLink(1);
    const hold = await takeHold(id);
    expect(await spendHeldAttempt(t.db, hold, { at: new Date(t.clock.now()), recipient: 'r' })).toBe(0);
    expect(await remaining(id)).toBe(0);
    // A hold can no longer be taken: the link is locked.
    const refused = await holdPasscodeAttempt({ db: t.db, clock: t.clock, random: cryptoRandom }, id);
    expect(refused.kind).toBe('inactive');
    // A hold taken before the lockout and settled after it finds no attempt to spend.
    const late: AttemptHold = { ...hold, id: 'a-lapsed-hold' };
    expect(await spendHeldAttempt(t.db, late, { at: new Date(t.clock.now()), recipient: 'r' })).toBeNull();
    expect(await remaining(id)).toBe(0);
    expect(await wrongPasscodeLogs(id)).toBe(1);
  });

  it('two wrong guesses settled at once on the last attempt (one hold lapsed and taken again) spend it once', async () => {
    const id = await createLink(1);
    const lapsed = await takeHold(id);
    await lapseHolds(id);
    const fresh = await takeHold(id);
    const at = new Date(t.clock.now());
    const results = await Promise.all([
      spendHeldAttempt(t.db, lapsed, { at, recipient: 'first' }),
      spendHeldAttempt(t.db, fresh, { at, recipient: 'second' }),
    ]);
    expect(results.filter((left) => left === 0)).toHaveLength(1);
    expect(results.filter((left) => left === null)).toHaveLength(1);
    expect(await remaining(id)).toBe(0);
    expect(await wrongPasscodeLogs(id)).toBe(1);
    expect(await owner(id)).toEqual(expect.objectContaining({ status: 'locked', remainingAttempts: 0 }));
  });

  it('three wrong guesses settled at once on three attempts count down to exactly 0', async () => {
    const id = await createLink(3);
    const holds = [await takeHold(id), await takeHold(id), await takeHold(id)];
    const at = new Date(t.clock.now());
    const results = await Promise.all(
      holds.map((hold) => spendHeldAttempt(t.db, hold, { at, recipient: 'r' })),
    );
    expect(results.map(Number).sort()).toEqual([0, 1, 2]);
    expect(await remaining(id)).toBe(0);
    expect(await wrongPasscodeLogs(id)).toBe(3);
    expect(
      await t.db.selectFrom('shl_passcode_holds').select('id').where('link_id', '=', id).execute(),
    ).toEqual([]);
  });
});
