import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const bundle = { resourceType: 'Patient' };

/**
 * Passcodes are text a person types: no control characters, and no lone UTF-16 surrogates, which scrypt
 * reads as U+FFFD, so that `"\ud800"` and `"\udfff"` would open each other's links. Guesses with them are
 * refused by core's manifest request parser (public-endpoints.test.ts); these are the owner's side.
 */
describe.each(testDatabases())('passcode text on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  const create = async (body: Record<string, unknown>) =>
    (await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: body })).json();
  const manifest = (id: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/shl/${id}`, payload: body });

  it('refuses to set a passcode with a lone surrogate or a control character (SHL_INVALID_PASSCODE)', async () => {
    // scrypt reads a lone surrogate as U+FFFD: '\ud800' and '\udfff' would open each other's links.
    for (const passcode of ['\ud800', 'a\udc00b', 'pw\n']) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: bundle, passcode },
      });
      expect(created.statusCode).toBe(400);
      expect(created.json().error).toMatchObject({ code: 'SHL_INVALID_PASSCODE', field: 'passcode' });
    }
    const link = await create({ content: bundle, passcode: 'pw' });
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/links/${link.id}`,
      headers: AUTH,
      payload: { passcode: '\udfff' },
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error).toMatchObject({ code: 'SHL_INVALID_PASSCODE', field: 'passcode' });
    expect((await manifest(link.id, { recipient: 'r', passcode: 'pw' })).statusCode).toBe(200);
  });
});
