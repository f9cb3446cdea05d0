import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveActiveLink } from '../src/manifests/serve-active-link.js';
import { testDatabases } from './support/databases.js';
import { AUTH, BASE, startTestApp, type TestApp } from './support/test-app.js';

const bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [{ resource: { resourceType: 'Patient', id: 'x' } }],
};

/**
 * The access rule (src/access-rule/) is one SQL predicate; these check that every path that serves a link
 * obeys it, and that the owner's view says what the rule says.
 */
describe.each(testDatabases())('the access rule, on every path, on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  const nowSeconds = () => Math.floor(t.clock.now() / 1000);
  const create = async (body: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: body });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string };
  };
  const patch = (id: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: `/api/links/${id}`, headers: AUTH, payload: body });
  const manifest = (id: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/shl/${id}`, payload: body });
  const direct = (id: string) => t.app.inject({ url: `/shl/${id}?recipient=r` });
  const owner = async (id: string) =>
    (await t.app.inject({ url: `/api/links/${id}`, headers: AUTH })).json() as {
      status: string;
      remainingAttempts: number | null;
    };
  const outcomes = async (id: string) =>
    (await t.app.inject({ url: `/api/links/${id}/accesses`, headers: AUTH }))
      .json()
      .accesses.map((entry: { path: string; outcome: string }) => `${entry.path}:${entry.outcome}`);
  /** A link whose one file goes out as a `location` URL; returns the URL's path. */
  const locationOf = async (id: string, passcode?: string): Promise<string> => {
    const res = await manifest(id, { recipient: 'r', embeddedLengthMax: 0, passcode });
    expect(res.statusCode).toBe(200);
    return (res.json().files[0].location as string).slice(BASE.length);
  };
  const fetchLocation = async (path: string) => (await t.app.inject({ url: path })).statusCode;

  it('a link is active until the last millisecond before its exp second, and expired from exp on, on every path and for its owner', async () => {
    const exp = nowSeconds() + 10;
    const plain = await create({ content: bundle, expiresAt: exp });
    const withPasscode = await create({ content: bundle, expiresAt: exp, passcode: 'pw' });
    const directLink = await create({ content: bundle, expiresAt: exp, direct: true });
    const location = await locationOf(plain.id);

    t.clock.advance(exp * 1000 - 1 - t.clock.now());
    expect((await manifest(plain.id, { recipient: 'r' })).statusCode).toBe(200);
    expect((await manifest(withPasscode.id, { recipient: 'r', passcode: 'pw' })).statusCode).toBe(200);
    expect((await direct(directLink.id)).statusCode).toBe(200);
    expect(await fetchLocation(location)).toBe(200);
    expect((await owner(plain.id)).status).toBe('active');

    t.clock.advance(1);
    expect((await manifest(plain.id, { recipient: 'r' })).statusCode).toBe(404);
    expect((await manifest(withPasscode.id, { recipient: 'r', passcode: 'pw' })).statusCode).toBe(404);
    expect((await direct(directLink.id)).statusCode).toBe(404);
    expect(await fetchLocation(location)).toBe(404);
    for (const { id } of [plain, withPasscode, directLink]) expect((await owner(id)).status).toBe('expired');
  });

  it('the owner sees an expired passcode link as expired, in the view and in the list filter', async () => {
    const link = await create({ content: bundle, expiresAt: nowSeconds() + 5, passcode: 'pw' });
    expect((await owner(link.id)).status).toBe('active');
    t.clock.advance(5_000);
    expect(await owner(link.id)).toMatchObject({ status: 'expired', remainingAttempts: 5 });
    const listed = async (status: string) =>
      (await t.app.inject({ url: `/api/links?status=${status}&limit=200`, headers: AUTH }))
        .json()
        .links.map((entry: { id: string }) => entry.id);
    expect(await listed('expired')).toContain(link.id);
    expect(await listed('active')).not.toContain(link.id);
  });

  it('an expired passcode link answers 404 to wrong and right passcodes and spends no attempt', async () => {
    const link = await create({
      content: bundle,
      expiresAt: nowSeconds() + 5,
      passcode: 'pw',
      passcodeAttempts: 2,
    });
    t.clock.advance(5_000);
    for (const passcode of ['wrong 1', 'wrong 2', 'wrong 3', 'pw']) {
      const res = await manifest(link.id, { recipient: 'r', passcode });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('SHL_NOT_FOUND');
    }
    expect(await owner(link.id)).toMatchObject({ status: 'expired', remainingAttempts: 2 });
    expect(await outcomes(link.id)).toEqual(Array(4).fill('manifest:inactive'));
  });

  it('a deactivated or expired U link is not served by direct GET, and is served again once reactivated', async () => {
    const deactivated = await create({ content: bundle, direct: true });
    expect((await patch(deactivated.id, { active: false })).statusCode).toBe(200);
    const res = await direct(deactivated.id);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('SHL_NOT_FOUND');
    expect(await outcomes(deactivated.id)).toEqual(['direct:inactive']);
    await patch(deactivated.id, { active: true });
    expect((await direct(deactivated.id)).statusCode).toBe(200);

    const expired = await create({ content: bundle, direct: true, expiresAt: nowSeconds() + 1 });
    t.clock.advance(1_000);
    expect((await direct(expired.id)).statusCode).toBe(404);
    expect(await outcomes(expired.id)).toEqual(['direct:inactive']);
  });

  it('a location URL stops working right after its link is deactivated, though its ticket lives on', async () => {
    const link = await create({ content: bundle });
    const location = await locationOf(link.id);
    expect(await fetchLocation(location)).toBe(200);
    await patch(link.id, { active: false });
    expect(await fetchLocation(location)).toBe(404);
    await patch(link.id, { active: true });
    expect(await fetchLocation(location)).toBe(200);
    expect((await outcomes(link.id)).slice(0, 3)).toEqual(['file:ok', 'file:inactive', 'file:ok']);
  });

  it('a location URL stops working right after its link expires', async () => {
    const link = await create({ content: bundle, expiresAt: nowSeconds() + 60 });
    const location = await locationOf(link.id);
    t.clock.advance(59_000);
    expect(await fetchLocation(location)).toBe(200);
    t.clock.advance(1_000);
    expect(await fetchLocation(location)).toBe(404);
  });

  it('a location URL stops working right after wrong passcodes lock its link', async () => {
    const link = await create({ content: bundle, passcode: 'pw', passcodeAttempts: 2 });
    const location = await locationOf(link.id, 'pw');
    expect((await manifest(link.id, { recipient: 'r', passcode: 'no' })).statusCode).toBe(401);
    expect(await fetchLocation(location)).toBe(200);
    expect((await manifest(link.id, { recipient: 'r', passcode: 'no!' })).statusCode).toBe(401);
    expect(await owner(link.id)).toMatchObject({ status: 'locked', remainingAttempts: 0 });
    expect(await fetchLocation(location)).toBe(404);
  });

  it('a location URL of a long-term link keeps working though the recipient may not poll the manifest yet', async () => {
    // Only manifest requests count as polling: the poll limit is no part of serving a file.
    const link = await create({ content: bundle, longTerm: true });
    const location = await locationOf(link.id);
    expect(await fetchLocation(location)).toBe(200);
    expect(await fetchLocation(location)).toBe(200);
  });
  it('the one-request path serves a location file of a used-up link without counting a use', async () => {
    // The path a `location` GET takes when no group-commit batch served it (files/file.service.ts).
    const link = await create({ content: bundle, maxUses: 1 });
    const path = await locationOf(link.id);
    const fileId = path.split('?')[0]?.split('/').at(-1) ?? '';
    expect(
      (await t.db.selectFrom('shl_links').select('uses').where('id', '=', link.id).executeTakeFirst())?.uses,
    ).toBe(1);
    const served = await serveActiveLink(t.db, {
      linkId: link.id,
      recipient: 'r',
      fileId,
      now: new Date(t.clock.now()),
      path: 'file',
      passcode: { kind: 'ticket' },
      longTermChecked: true,
    });
    expect(served?.files.map((file) => file.id)).toEqual([fileId]);
    expect(
      (await t.db.selectFrom('shl_links').select('uses').where('id', '=', link.id).executeTakeFirst())?.uses,
    ).toBe(1);
  });
});
