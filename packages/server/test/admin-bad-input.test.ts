import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, countRows, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The admin module's new input paths (sign-in, users, audit, search and sort, the access stream) answer bad
 * input with a 4xx in our error shape, never a 500, and write nothing.
 */
describe.each(testDatabases())('bad input to the admin routes on $name', (target) => {
  let t: TestApp;
  let linkId: string;
  beforeAll(async () => {
    t = await startTestApp(target);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/links',
      headers: AUTH,
      payload: { content: { resourceType: 'Patient', id: 'p1' } },
    });
    linkId = created.json().id;
  });
  afterAll(() => t?.close());

  const cases: [string, { method: 'GET' | 'POST' | 'PATCH'; url: () => string; payload?: unknown }][] = [
    ['sign-in without a password', { method: 'POST', url: () => '/api/session', payload: { username: 'a' } }],
    [
      'sign-in with a number for a username',
      { method: 'POST', url: () => '/api/session', payload: { username: 7, password: 'x'.repeat(12) } },
    ],
    [
      'a user with an unknown role',
      {
        method: 'POST',
        url: () => '/api/users',
        payload: { username: 'mallory', password: 'x'.repeat(12), role: 'root' },
      },
    ],
    [
      'a user with a short password',
      { method: 'POST', url: () => '/api/users', payload: { username: 'mallory', password: 'short' } },
    ],
    ['an audit cursor it never handed out', { method: 'GET', url: () => '/api/audit?cursor=%%%' }],
    ['a link list sorted by an unknown key', { method: 'GET', url: () => '/api/links?sort=label' }],
    ['a link list in an unknown order', { method: 'GET', url: () => '/api/links?order=sideways' }],
    [
      'an access stream after a non-number',
      { method: 'GET', url: () => `/api/links/${linkId}/accesses/stream?after=x` },
    ],
  ];

  it.each(cases)('%s: 400 in our shape, nothing written', async (_name, request) => {
    const before = await countRows(t.db);
    const res = await t.app.inject({
      method: request.method,
      url: request.url(),
      headers: AUTH,
      ...(request.payload === undefined ? {} : { payload: request.payload as object }),
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toMatch(/^SHL_/);
    expect(await countRows(t.db)).toEqual(before);
  });
});
