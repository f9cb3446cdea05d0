import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePostgres, postgresTargets } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const patient = (version: number) => ({
  resourceType: 'Patient',
  id: 'p',
  meta: { versionId: String(version) },
});

/**
 * A long-term link's files replaced while receivers fetch its manifest with `location` URLs. The manifest
 * locks the link, then issues tickets that reference its files; a replacement deletes the files (and
 * their tickets) and inserts new ones. Unless both take the link's lock first, they lock in opposite
 * orders and PostgreSQL ends one with a deadlock (40P01), which answers 503. An attack run saw 5 of 10
 * replacements refused so.
 */
describePostgres.each(postgresTargets())('files replaced during manifest requests on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  it('never deadlock: every replacement and every manifest is answered 200', async () => {
    const link = (
      await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: patient(0), longTerm: true },
      })
    ).json<{ id: string }>();
    let replacing = true;
    const manifests: number[] = [];
    const receiver = async () => {
      while (replacing) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/shl/${link.id}`,
          payload: { recipient: 'r', embeddedLengthMax: 10 },
        });
        manifests.push(res.statusCode);
      }
    };
    const replacements: number[] = [];
    const owner = async () => {
      for (let version = 1; version <= 30; version++) {
        const res = await t.app.inject({
          method: 'PUT',
          url: `/api/links/${link.id}/files`,
          headers: AUTH,
          payload: { content: patient(version) },
        });
        replacements.push(res.statusCode);
      }
      replacing = false;
    };
    await Promise.all([owner(), ...Array.from({ length: 8 }, receiver)]);
    expect(replacements).toEqual(Array.from({ length: 30 }, () => 200));
    expect(manifests.length).toBeGreaterThan(30);
    expect(manifests.filter((status) => status !== 200)).toEqual([]);
  });
});
