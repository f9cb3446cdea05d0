import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, BASE, startTestApp, type TestApp } from './support/test-app.js';

const bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [{ resource: { resourceType: 'Patient', id: 'x' } }],
};

/** The three ways content leaves the server (SHL): manifest POST, `location` file GET, direct-file GET. */
type ServingPath = 'manifest' | 'location' | 'direct';
/** The access-log path each serving path is logged under. */
const LOGGED_AS: Record<ServingPath, string> = { manifest: 'manifest', location: 'file', direct: 'direct' };

interface InactiveState {
  name: string;
  paths: ServingPath[];
  /** What the link is created with. */
  create: Record<string, unknown>;
  /** Brings the link to the last instant it is active, then returns a function that makes it inactive. */
  prepare(t: TestApp, linkId: string): Promise<() => Promise<void>>;
}

const secondsNow = (t: TestApp) => Math.floor(t.clock.now() / 1000);
const EXP_IN = 10;

const STATES: InactiveState[] = [
  {
    name: 'expired at the first millisecond of its exp second',
    paths: ['manifest', 'location', 'direct'],
    create: { expiresIn: EXP_IN },
    prepare: async (t) => {
      const exp = secondsNow(t) + EXP_IN;
      // Served at exp - 1 ms: the one-second boundary is exactly at exp.
      t.clock.advance(exp * 1000 - 1 - t.clock.now());
      return async () => t.clock.advance(1);
    },
  },
  {
    name: 'expired a day after its exp',
    paths: ['manifest', 'location', 'direct'],
    create: { expiresIn: EXP_IN },
    prepare: async (t) => async () => t.clock.advance(EXP_IN * 1000 + 86_400_000),
  },
  {
    name: 'deactivated',
    paths: ['manifest', 'location', 'direct'],
    create: {},
    prepare: async (t, id) => async () => {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/links/${id}`,
        headers: AUTH,
        payload: { active: false },
      });
      expect(res.statusCode).toBe(200);
    },
  },
  {
    name: 'revoked (deleted)',
    paths: ['manifest', 'location', 'direct'],
    create: {},
    prepare: async (t, id) => async () => {
      const res = await t.app.inject({ method: 'DELETE', url: `/api/links/${id}`, headers: AUTH });
      expect(res.statusCode).toBeLessThan(300);
    },
  },
  {
    // SHL: a U link carries no passcode, so a link locked by wrong passcodes has no direct path.
    name: 'locked by its last wrong passcode',
    paths: ['manifest', 'location'],
    create: { passcode: 'right', passcodeAttempts: 1 },
    prepare: async (t, id) => async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/shl/${id}`,
        payload: { recipient: 'r', passcode: 'wrong' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ remainingAttempts: 0, error: { code: 'SHL_WRONG_PASSCODE' } });
    },
  },
  {
    // The answer that proves the link active is its one use. (A `location` GET is no use: see below.)
    name: 'used up by its maxUses answers',
    paths: ['manifest', 'direct'],
    create: { maxUses: 1 },
    prepare: async () => async () => {},
  },
];

/**
 * Issue 12: every path that serves content, against every state in which a link is not active, answers the
 * uniform 404, byte for byte the answer for a link that never existed, and logs `inactive` for the owner;
 * a `location` URL handed out while the link was active stops working at once.
 */
describe.each(testDatabases())(
  'every serving path refuses every inactive state alike, on $name',
  (target) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(target);
    });
    afterAll(() => t?.close());

    const create = async (body: Record<string, unknown>): Promise<string> => {
      const { expiresIn, ...rest } = body;
      const payload = {
        ...(rest.files === undefined ? { content: bundle } : {}),
        ...rest,
        ...(expiresIn === undefined ? {} : { expiresAt: secondsNow(t) + Number(expiresIn) }),
      };
      const res = await t.app.inject({ method: 'POST', url: '/api/links', headers: AUTH, payload });
      expect(res.statusCode).toBe(201);
      return (res.json() as { id: string }).id;
    };
    const askManifest = (id: string, passcode?: string, embeddedLengthMax?: number) =>
      t.app.inject({
        method: 'POST',
        url: `/shl/${id}`,
        payload: { recipient: 'r', passcode, embeddedLengthMax },
      });
    const askDirect = (id: string) => t.app.inject({ url: `/shl/${id}?recipient=r` });
    const locationsOf = async (id: string, passcode?: string): Promise<string[]> => {
      const res = await askManifest(id, passcode, 0);
      expect(res.statusCode).toBe(200);
      const files = res.json().files as { location?: string; embedded?: string }[];
      expect(files.every((file) => file.embedded === undefined && file.location?.startsWith(BASE))).toBe(
        true,
      );
      return files.map((file) => (file.location ?? '').slice(BASE.length));
    };
    const lastOutcome = async (id: string) => {
      const res = await t.app.inject({ url: `/api/links/${id}/accesses`, headers: AUTH });
      const [latest] = res.json().accesses as { path: string; outcome: string }[];
      return `${latest?.path}:${latest?.outcome}`;
    };
    const randomId = () => randomBytes(32).toString('base64url');

    /** What a link that never existed answers on each path: the answer every inactive link must give. */
    const unknownAnswer = (path: ServingPath): Promise<LightMyRequestResponse> => {
      if (path === 'manifest') return askManifest(randomId());
      if (path === 'direct') return askDirect(randomId());
      return t.app.inject({ url: `/shl/${randomId()}/files/f1?ticket=${randomId()}` });
    };
    const expectUniform404 = async (res: LightMyRequestResponse, path: ServingPath) => {
      const unknown = await unknownAnswer(path);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toEqual({ error: { code: 'SHL_NOT_FOUND', message: expect.any(String) } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe(unknown.headers['content-type']);
      expect(res.body).toBe(unknown.body);
    };

    /** A link open on `path`, and the one request that asks it for content there. */
    const open = async (path: ServingPath, state: InactiveState) => {
      const passcode = state.create.passcode as string | undefined;
      const id = await create({ ...state.create, ...(path === 'direct' ? { direct: true } : {}) });
      if (path === 'manifest') return { id, ask: () => askManifest(id, passcode) };
      if (path === 'direct') return { id, ask: () => askDirect(id) };
      const [location] = await locationsOf(id, passcode);
      return { id, ask: () => t.app.inject({ url: location ?? '' }) };
    };

    const cases = STATES.flatMap((state) => state.paths.map((path) => ({ state, path })));

    it.each(cases.map(({ state, path }) => [path, state.name, state] as const))(
      '%s: a link %s answers the uniform 404 and logs inactive',
      async (path, _name, state) => {
        const link = await open(path, state);
        const becomeInactive = await state.prepare(t, link.id);
        const served = await link.ask();
        expect(served.statusCode).toBe(200);
        if (path !== 'manifest') expect(served.headers['content-type']).toContain('application/jose');
        await becomeInactive();
        for (let again = 0; again < 2; again++) {
          await expectUniform404(await link.ask(), path);
          expect(await lastOutcome(link.id)).toBe(`${LOGGED_AS[path]}:inactive`);
        }
      },
    );

    it('a location URL handed out by the answer that used the link up still serves its file, and stops when the link is deactivated', async () => {
      // A location GET is not a use: its ticket comes from the counted manifest answer (access-rule.ts).
      const id = await create({ maxUses: 1 });
      const [location] = await locationsOf(id);
      expect((await askManifest(id)).statusCode).toBe(404);
      expect((await t.app.inject({ url: location ?? '' })).statusCode).toBe(200);
      await t.app.inject({
        method: 'PATCH',
        url: `/api/links/${id}`,
        headers: AUTH,
        payload: { active: false },
      });
      await expectUniform404(await t.app.inject({ url: location ?? '' }), 'location');
    });

    it('a ticket opens only the file it was issued for, not another file of the same link nor a file of another link', async () => {
      const files = [
        { contentType: 'application/fhir+json', content: bundle },
        { contentType: 'application/fhir+json', content: { ...bundle, id: 'second' } },
      ];
      const id = await create({ files });
      const other = await create({ files });
      const [first, second] = (await locationsOf(id)) as [string, string];
      const [otherFirst] = (await locationsOf(other)) as [string];
      const parts = (location: string) => {
        const url = new URL(location, BASE);
        return { path: url.pathname, ticket: url.searchParams.get('ticket') ?? '' };
      };
      expect((await t.app.inject({ url: first })).statusCode).toBe(200);
      expect((await t.app.inject({ url: second })).statusCode).toBe(200);
      const swapped = `${parts(second).path}?ticket=${parts(first).ticket}`;
      await expectUniform404(await t.app.inject({ url: swapped }), 'location');
      const crossLink = `${parts(otherFirst).path}?ticket=${parts(first).ticket}`;
      await expectUniform404(await t.app.inject({ url: crossLink }), 'location');
      // The rightful tickets still work: refusing the wrong one spent nothing.
      expect((await t.app.inject({ url: first })).statusCode).toBe(200);
      expect((await t.app.inject({ url: otherFirst })).statusCode).toBe(200);
    });

    it('a passcode link expired at exactly exp answers wrong guesses 404, spends no attempt, and its owner sees expired', async () => {
      const exp = secondsNow(t) + EXP_IN;
      const id = await create({ expiresAt: exp, passcode: 'right', passcodeAttempts: 3 });
      t.clock.advance(exp * 1000 - 1 - t.clock.now());
      const before = await askManifest(id, 'wrong');
      expect(before.statusCode).toBe(401);
      expect(before.json()).toMatchObject({ remainingAttempts: 2, error: { code: 'SHL_WRONG_PASSCODE' } });
      t.clock.advance(1);
      for (const guess of ['wrong', 'also wrong', 'right']) {
        await expectUniform404(await askManifest(id, guess), 'manifest');
      }
      const owner = await t.app.inject({ url: `/api/links/${id}`, headers: AUTH });
      expect(owner.json()).toMatchObject({ status: 'expired', remainingAttempts: 2 });
      const listed = async (status: string) =>
        (await t.app.inject({ url: `/api/links?status=${status}&limit=200`, headers: AUTH }))
          .json()
          .links.map((entry: { id: string }) => entry.id);
      expect(await listed('expired')).toContain(id);
      expect(await listed('active')).not.toContain(id);
      expect(await listed('locked')).not.toContain(id);
    });

    it('a link one millisecond before its exp is active for its owner and in the list filter', async () => {
      const exp = secondsNow(t) + EXP_IN;
      const id = await create({ expiresAt: exp });
      t.clock.advance(exp * 1000 - 1 - t.clock.now());
      const owner = await t.app.inject({ url: `/api/links/${id}`, headers: AUTH });
      expect(owner.json()).toMatchObject({ status: 'active' });
      const active = await t.app.inject({ url: '/api/links?status=active&limit=200', headers: AUTH });
      expect(active.json().links.map((entry: { id: string }) => entry.id)).toContain(id);
      const expired = await t.app.inject({ url: '/api/links?status=expired&limit=200', headers: AUTH });
      expect(expired.json().links.map((entry: { id: string }) => entry.id)).not.toContain(id);
    });
  },
);
