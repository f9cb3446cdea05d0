import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, countRows, startTestApp, type TestApp } from './support/test-app.js';

const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Example' }] };

describe.each(testDatabases())('Idempotency-Key on link creation, on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  const create = (body: Record<string, unknown>, key?: string, headers: Record<string, string> = AUTH) =>
    t.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: key === undefined ? headers : { ...headers, 'idempotency-key': key },
      payload: body,
    });

  const linkCount = async (): Promise<number> => (await countRows(t.db)).shl_links ?? 0;

  it('answers a retry with the same key and body with the same link, same 201 body, and makes no second', async () => {
    const before = await linkCount();
    const body = { content: patient, label: 'retry me', passcode: 'open sesame' };
    const first = await create(body, 'retry-1');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The fields in another order are the same body.
    const again = await create({ passcode: 'open sesame', label: 'retry me', content: patient }, 'retry-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // The same link, save its management token: the lost answer's token cannot be rebuilt from its hash,
    // so the retry carries a new one, and the first stops working.
    const { managementToken: firstToken, ...firstLink } = first.json();
    const { managementToken: againToken, ...againLink } = again.json();
    expect(againLink).toEqual(firstLink);
    expect(againToken).toMatch(/^shlm_/);
    expect(againToken).not.toBe(firstToken);
    const read = (token: string) =>
      t.app.inject({ url: `/api/links/${first.json().id}`, headers: { authorization: `Bearer ${token}` } });
    expect((await read(againToken)).statusCode).toBe(200);
    expect((await read(firstToken)).statusCode).toBe(401);
    expect(again.json().payload.key).toBe(first.json().payload.key);
    expect(again.json().shlink).toBe(first.json().shlink);
    expect(await linkCount()).toBe(before + 1);
    expect(
      await t.db.selectFrom('shl_idempotency_keys').select('link_id').where('key', '=', 'retry-1').execute(),
    ).toEqual([{ link_id: first.json().id }]);
  });

  it('refuses the same key with another body, or another passcode, with 422 SHL_IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    expect((await create({ content: patient, passcode: 'first secret' }, 'reuse-1')).statusCode).toBe(201);
    const before = await countRows(t.db);
    for (const body of [
      { content: patient, passcode: 'first secret', label: 'another' },
      { content: patient, passcode: 'other secret' },
      { content: patient },
    ]) {
      const res = await create(body, 'reuse-1');
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({
        code: 'SHL_IDEMPOTENCY_KEY_REUSED',
        field: 'Idempotency-Key',
      });
    }
    expect(await countRows(t.db)).toEqual(before);
  });

  it("keeps each caller's keys apart: another API key with the same key gets a link of its own", async () => {
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: AUTH,
      payload: { name: 'b' },
    });
    const otherAuth = { authorization: `Bearer ${other.json().token}` };
    const mine = await create({ content: patient }, 'shared-key');
    const theirs = await create({ content: patient }, 'shared-key', otherAuth);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().id).not.toBe(mine.json().id);
  });

  it('makes a new link for every request without a key, and for the same key after 24 hours', async () => {
    const a = await create({ content: patient });
    const b = await create({ content: patient });
    expect(a.json().id).not.toBe(b.json().id);
    const first = await create({ content: patient }, 'day-old');
    t.clock.advance(24 * 3_600_000 + 1_000);
    const later = await create({ content: patient }, 'day-old');
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json().id).not.toBe(first.json().id);
    const rows = await t.db
      .selectFrom('shl_idempotency_keys')
      .select('link_id')
      .where('key', '=', 'day-old')
      .execute();
    expect(rows).toEqual([{ link_id: later.json().id }]);
  });

  it('answers concurrent requests with one key with one link', async () => {
    const before = await linkCount();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => create({ content: patient, label: 'race' }, 'race-1')),
    );
    expect(answers.map((res) => res.statusCode)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((res) => res.json().id)).size).toBe(1);
    expect(new Set(answers.map((res) => res.json().payload.key)).size).toBe(1);
    expect(await linkCount()).toBe(before + 1);
  });

  it('refuses a malformed key with 400 SHL_VALIDATION_FAILED before making anything', async () => {
    const before = await countRows(t.db);
    for (const key of ['', 'x'.repeat(256), 'has space']) {
      const res = await create({ content: patient }, key);
      expect(res.statusCode, JSON.stringify(key)).toBe(400);
      expect(res.json().error.code).toBe('SHL_VALIDATION_FAILED');
    }
    expect(await countRows(t.db)).toEqual(before);
  });
});
