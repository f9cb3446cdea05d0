import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, countRows, startTestApp, type TestApp } from './support/test-app.js';

const patient = { resourceType: 'Patient' };
const deep = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/**
 * The inputs issue 9 found answering 500 (NUL in recipient, label, key name or contentType; JSON nested
 * 10,000 deep): each answers 400 in our error shape and writes nothing. The fast-check suite
 * (http-properties.test.ts) looks for more of their kind.
 */
describe.each(testDatabases())('NUL characters and deep nesting on $name', (target) => {
  let t: TestApp;
  let link: string;
  let locked: string;
  beforeAll(async () => {
    t = await startTestApp(target);
    const create = async (body: Record<string, unknown>) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: body,
      });
      expect(response.statusCode).toBe(201);
      return response.json<{ id: string }>().id;
    };
    link = await create({ content: patient });
    locked = await create({ content: patient, passcode: 'right passcode', passcodeAttempts: 3 });
  });
  afterAll(() => t?.close());

  const cases = (): [string, { method: 'POST' | 'PATCH' | 'GET'; url: string; body?: string }][] => [
    [
      'a NUL in the manifest recipient',
      { method: 'POST', url: `/shl/${link}`, body: '{"recipient":"a\\u0000b"}' },
    ],
    ['a NUL in ?recipient=', { method: 'GET', url: `/shl/${link}?recipient=a%00b` }],
    [
      'a NUL in a new link label',
      { method: 'POST', url: '/api/links', body: JSON.stringify({ content: patient, label: 'a\u0000b' }) },
    ],
    [
      'a NUL in a changed label',
      { method: 'PATCH', url: `/api/links/${link}`, body: JSON.stringify({ label: 'a\u0000b' }) },
    ],
    [
      'a NUL in an API key name',
      { method: 'POST', url: '/api/keys', body: JSON.stringify({ name: 'a\u0000b' }) },
    ],
    [
      'a NUL in a file contentType',
      {
        method: 'POST',
        url: '/api/links',
        body: JSON.stringify({ files: [{ contentType: 'application/fhir+json\u0000', content: patient }] }),
      },
    ],
    [
      'a NUL in a username',
      {
        method: 'POST',
        url: '/api/users',
        body: JSON.stringify({ username: 'a\u0000b', password: 'long enough password' }),
      },
    ],
    ['a NUL in the links search', { method: 'GET', url: '/api/links?q=a%00b' }],
    ['a NUL in the audit filter', { method: 'GET', url: '/api/audit?actor=a%00b' }],
    ['JSON nested 10,000 deep to the manifest', { method: 'POST', url: `/shl/${link}`, body: deep(10_000) }],
    ['JSON nested 10,000 deep to create', { method: 'POST', url: '/api/links', body: deep(10_000) }],
    ['JSON nested 10,000 deep to PATCH', { method: 'PATCH', url: `/api/links/${link}`, body: deep(10_000) }],
  ];

  it.each(cases().map(([name]) => name))(
    '%s answers 400 in our error shape and writes nothing',
    async (name) => {
      const [, request] = cases().find(([candidate]) => candidate === name) ?? [];
      if (request === undefined) throw new Error(`no case ${name}`);
      const before = await countRows(t.db);
      const response = await t.app.inject({
        method: request.method,
        url: request.url,
        headers: { ...AUTH, 'content-type': 'application/json' },
        ...(request.body === undefined ? {} : { payload: request.body }),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: expect.stringMatching(/^SHL_/) } });
      expect(await countRows(t.db)).toEqual(before);
    },
  );

  it.each([
    ['a manifest request', 'POST', '/shl/a%00b', { recipient: 'someone' }],
    ['a direct-file request', 'GET', '/shl/a%00b?recipient=someone', undefined],
    ['a location request', 'GET', '/shl/a%00b/files/c%00d?ticket=x', undefined],
  ] as const)('%s to an id with a NUL answers the uniform 404', async (_name, method, url, payload) => {
    const response = await t.app.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'SHL_NOT_FOUND' } });
  });

  it('a NUL recipient with a wrong passcode spends no attempt', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/shl/${locked}`,
      payload: { recipient: 'a\u0000b', passcode: 'wrong passcode' },
    });
    expect(response.statusCode).toBe(400);
    const view = await t.app.inject({ url: `/api/links/${locked}`, headers: AUTH });
    expect(view.json()).toMatchObject({ remainingAttempts: 3 });
  });
});
