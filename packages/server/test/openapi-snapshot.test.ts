import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// The published contract, pinned: a route, field, status or error code that changes in @shlkit/api (or
// in the public routes) changes /openapi.json, and this test fails until the snapshot is regenerated
// and the diff reviewed and committed with the change.
const SNAPSHOT = '../../api/openapi.snapshot.json';

describe('the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    // One database is enough: the document does not depend on it.
    const [embedded] = testDatabases();
    if (embedded === undefined) throw new Error('no test database');
    t = await startTestApp(embedded);
  });
  afterAll(() => t?.close());

  it('is packages/api/openapi.snapshot.json; after a deliberate contract change run `npm run openapi:snapshot` and commit the diff', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    await expect(`${JSON.stringify(response.json(), null, 2)}\n`).toMatchFileSnapshot(SNAPSHOT);
  });
});
