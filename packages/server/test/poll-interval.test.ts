import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const patient = { resourceType: 'Patient', id: 'p' };

describe.each(testDatabases())(
  'polling long-term links on $name (SHL_POLL_INTERVAL_SECONDS=30)',
  (target) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(target, { SHL_POLL_INTERVAL_SECONDS: '30' });
    });
    afterAll(() => t?.close());

    const create = async (body: Record<string, unknown>) =>
      (await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload: body })).json();
    const manifest = (id: string, body: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/shl/${id}`, payload: body });
    const outcomes = async (id: string) =>
      (await t.app.inject({ url: `/api/links/${id}/accesses`, headers: AUTH }))
        .json()
        .accesses.map((a: { outcome: string; recipient: string }) => `${a.recipient}:${a.outcome}`);

    it('tells the receiver of an L manifest the least wait before its next poll', async () => {
      const link = await create({ content: patient, longTerm: true });
      const res = await manifest(link.id, { recipient: 'ehr' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['retry-after']).toBe('30');
      expect(res.json().status).toBe('can-change');
    });

    it('answers 429 with the time left to a recipient that polls again too soon, and logs it', async () => {
      const link = await create({ content: patient, longTerm: true });
      expect((await manifest(link.id, { recipient: 'ehr' })).statusCode).toBe(200);
      t.clock.advance(12_000);
      const early = await manifest(link.id, { recipient: 'ehr' });
      expect(early.statusCode).toBe(429);
      expect(early.headers['retry-after']).toBe('18');
      expect(early.headers['access-control-allow-origin']).toBe('*');
      expect(early.json().error.code).toBe('SHL_RATE_LIMITED');
      // Another recipient has its own interval.
      expect((await manifest(link.id, { recipient: 'clinic' })).statusCode).toBe(200);
      t.clock.advance(18_000);
      expect((await manifest(link.id, { recipient: 'ehr' })).statusCode).toBe(200);
      expect(await outcomes(link.id)).toEqual(['ehr:ok', 'clinic:ok', 'ehr:rate-limited', 'ehr:ok']);
    });

    it('limits before the passcode check, so polling too fast spends no attempt', async () => {
      const link = await create({ content: patient, longTerm: true, passcode: 'pw', passcodeAttempts: 2 });
      expect((await manifest(link.id, { recipient: 'ehr', passcode: 'pw' })).statusCode).toBe(200);
      const early = await manifest(link.id, { recipient: 'ehr', passcode: 'wrong' });
      expect(early.statusCode).toBe(429);
      const view = (await t.app.inject({ url: `/api/links/${link.id}`, headers: AUTH })).json();
      expect(view.remainingAttempts).toBe(2);
    });

    it('does not limit links without L, nor the files of an L link', async () => {
      const plain = await create({ content: patient });
      for (let i = 0; i < 3; i++) {
        const res = await manifest(plain.id, { recipient: 'ehr' });
        expect(res.statusCode).toBe(200);
        expect(res.headers['retry-after']).toBeUndefined();
      }
      const longTerm = await create({ content: patient, longTerm: true });
      const first = (await manifest(longTerm.id, { recipient: 'ehr', embeddedLengthMax: 0 })).json();
      const location = new URL(first.files[0].location);
      for (let i = 0; i < 2; i++) {
        const file = await t.app.inject({ url: `${location.pathname}${location.search}` });
        expect(file.statusCode).toBe(200);
      }
    });

    it('still answers 404, not 429, once an L link is revoked', async () => {
      const link = await create({ content: patient, longTerm: true });
      expect((await manifest(link.id, { recipient: 'ehr' })).statusCode).toBe(200);
      await t.app.inject({ method: 'DELETE', url: `/api/links/${link.id}`, headers: AUTH });
      expect((await manifest(link.id, { recipient: 'ehr' })).statusCode).toBe(404);
    });
  },
);

describe('poll interval setting', () => {
  it('is off by default: an L manifest carries no Retry-After and is never refused', async () => {
    const [pglite] = testDatabases();
    if (pglite === undefined) throw new Error('no database');
    const t = await startTestApp(pglite);
    try {
      const link = (
        await t.app.inject({
          method: 'POST',
          url: '/api/links',
          headers: AUTH,
          payload: { content: patient, longTerm: true },
        })
      ).json();
      for (let i = 0; i < 2; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/shl/${link.id}`,
          payload: { recipient: 'r' },
        });
        expect(res.statusCode).toBe(200);
        expect(res.headers['retry-after']).toBeUndefined();
      }
    } finally {
      await t.close();
    }
  });
});
