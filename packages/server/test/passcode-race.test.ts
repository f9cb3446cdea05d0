import { randomBytes } from 'node:crypto';
import { encodeBase64url } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, testDatabases } from './support/databases.js';
import { buildServer, type ServerProcess, spawnServer } from './support/spawn-server.js';
import { API_KEY, AUTH, type ListeningServer, startListeningServer } from './support/test-app.js';

const PARALLEL_WRONG = 50;
const PARALLEL_RIGHT = 20;
const ATTEMPTS = 5;
const RIGHT = 'right one';

interface Answer {
  status: number;
  body: { remainingAttempts?: number; error?: { code?: string } };
}

const createLockableLink = async (base: string, attempts: number): Promise<{ id: string; path: string }> => {
  const res = await fetch(`${base}/api/links`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({
      content: { resourceType: 'Patient' },
      passcode: RIGHT,
      passcodeAttempts: attempts,
    }),
  });
  expect(res.status).toBe(201);
  const link = (await res.json()) as { id: string; payload: { url: string } };
  return { id: link.id, path: new URL(link.payload.url).pathname };
};

const askManifest = async (url: string, passcode: string): Promise<Answer> => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ recipient: 'race', passcode }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
};

/** Sends every passcode at once, the i-th to the server `bases[i % bases.length]`. */
const askAllAtOnce = (bases: string[], path: string, passcodes: string[]): Promise<Answer[]> =>
  Promise.all(passcodes.map((passcode, i) => askManifest(`${bases[i % bases.length]}${path}`, passcode)));

const statusCounts = (answers: Answer[]): Record<number, number> => {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

const ownerView = async (base: string, id: string) =>
  (await (await fetch(`${base}/api/links/${id}`, { headers: AUTH })).json()) as {
    status: string;
    remainingAttempts: number;
  };

/** The access log outcomes, oldest first. */
const outcomesOf = async (base: string, id: string): Promise<string[]> => {
  const log = await (await fetch(`${base}/api/links/${id}/accesses?limit=1000`, { headers: AUTH })).json();
  return (log.accesses as { outcome: string }[]).map((entry) => entry.outcome).reverse();
};

const wrongPasscodes = (n: number) => Array.from({ length: n }, (_, i) => `wrong ${i}`);

/** 50 wrong passcodes at once on a 5-attempt link: exactly five 401s counting down, 404 for the rest. */
const expectWrongGuessesSpendExactlyTheAttempts = async (bases: string[]) => {
  const [first] = bases as [string];
  const link = await createLockableLink(first, ATTEMPTS);
  const answers = await askAllAtOnce(bases, link.path, wrongPasscodes(PARALLEL_WRONG));
  expect(statusCounts(answers)).toEqual({ 401: ATTEMPTS, 404: PARALLEL_WRONG - ATTEMPTS });
  const unauthorized = answers.filter((answer) => answer.status === 401);
  expect(unauthorized.map((answer) => answer.body.remainingAttempts).sort()).toEqual([0, 1, 2, 3, 4]);
  expect(unauthorized.every((answer) => answer.body.error?.code === 'SHL_WRONG_PASSCODE')).toBe(true);
  for (const base of bases) expect((await askManifest(`${base}${link.path}`, RIGHT)).status).toBe(404);
  expect(await ownerView(first, link.id)).toMatchObject({ status: 'locked', remainingAttempts: 0 });
  const outcomes = await outcomesOf(first, link.id);
  expect(outcomes.filter((outcome) => outcome === 'wrong-passcode')).toHaveLength(ATTEMPTS);
  expect(outcomes).toHaveLength(PARALLEL_WRONG + bases.length);
};

/** 20 right passcodes at once: every one is served, and none of them costs an attempt. */
const expectRightGuessesAllServed = async (bases: string[], attempts: number) => {
  const [first] = bases as [string];
  const link = await createLockableLink(first, attempts);
  const answers = await askAllAtOnce(bases, link.path, Array(PARALLEL_RIGHT).fill(RIGHT));
  expect(statusCounts(answers)).toEqual({ 200: PARALLEL_RIGHT });
  expect(await ownerView(first, link.id)).toMatchObject({ status: 'active', remainingAttempts: attempts });
  expect(await outcomesOf(first, link.id)).toEqual(Array(PARALLEL_RIGHT).fill('ok'));
};

describe.each(testDatabases())('lifetime passcode attempts under parallel guesses on $name', (target) => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await startListeningServer(target);
  });
  afterAll(() => server?.close());

  it(`${PARALLEL_WRONG} parallel wrong passcodes at a ${ATTEMPTS}-attempt link: five 401s (4..0), the rest 404, then the right one 404`, async () => {
    await expectWrongGuessesSpendExactlyTheAttempts([server.url]);
  });

  it(`${PARALLEL_RIGHT} parallel right passcodes at a ${ATTEMPTS}-attempt link: all 200, no attempt spent`, async () => {
    await expectRightGuessesAllServed([server.url], ATTEMPTS);
  });

  it(`${PARALLEL_RIGHT} parallel right passcodes at a 1-attempt link: all 200, no attempt spent`, async () => {
    await expectRightGuessesAllServed([server.url], 1);
  });

  it('a right passcode racing eleven wrong ones at a 1-attempt link: one 401, and the right one is served only if it came first', async () => {
    for (let round = 0; round < 3; round++) {
      const link = await createLockableLink(server.url, 1);
      const passcodes = [RIGHT, ...wrongPasscodes(11)];
      const answers = await askAllAtOnce([server.url], link.path, passcodes);
      // The right guess is either served (it held the only attempt first) or finds the link locked; each
      // wrong guess is either the one 401 or a 404. No assertion below depends on which way it went.
      const [right, ...wrong] = answers as [Answer, ...Answer[]];
      expect([200, 404]).toContain(right.status);
      const served = Number(right.status === 200);
      expect(wrong.map((answer) => answer.status).sort()).toEqual([401, ...Array(10).fill(404)]);
      // The one attempt goes to exactly one wrong guess, which is told none remain.
      expect(wrong.find((answer) => answer.status === 401)?.body).toMatchObject({
        remainingAttempts: 0,
        error: { code: 'SHL_WRONG_PASSCODE' },
      });
      // While the right guess holds the only attempt no wrong one is compared, so its success is logged
      // first; once a wrong one has spent it, the right one finds the link locked.
      const outcomes = await outcomesOf(server.url, link.id);
      expect(outcomes).toEqual([
        ...Array(served).fill('ok'),
        'wrong-passcode',
        ...Array(11 - served).fill('inactive'),
      ]);
    }
  });

  it('ten right and ten wrong passcodes at once at a 5-attempt link: exactly five 401s, and no right one served after the lockout', async () => {
    const link = await createLockableLink(server.url, ATTEMPTS);
    const passcodes = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? RIGHT : `wrong ${i}`));
    const answers = await askAllAtOnce([server.url], link.path, passcodes);
    const wrongAnswers = answers.filter((_, i) => i % 2 === 1);
    const rightAnswers = answers.filter((_, i) => i % 2 === 0);
    expect(statusCounts(wrongAnswers)).toEqual({ 401: ATTEMPTS, 404: 10 - ATTEMPTS });
    expect(rightAnswers.every((answer) => answer.status === 200 || answer.status === 404)).toBe(true);
    const outcomes = await outcomesOf(server.url, link.id);
    const served = rightAnswers.filter((answer) => answer.status === 200).length;
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(served);
    // Every success is logged before the fifth wrong passcode, every 404 after it.
    const lockout = outcomes.lastIndexOf('wrong-passcode');
    expect(outcomes.filter((outcome) => outcome === 'wrong-passcode')).toHaveLength(ATTEMPTS);
    expect(outcomes.slice(lockout + 1)).toEqual(Array(20 - served - ATTEMPTS).fill('inactive'));
    expect(outcomes.slice(0, lockout).every((outcome) => outcome !== 'inactive')).toBe(true);
  });
});

describe('lifetime passcode attempts with two server processes sharing one PostgreSQL', () => {
  let servers: ServerProcess[] = [];
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if ((process.env.TEST_DATABASE_URL ?? '') === '' && process.env.CI !== 'true') return;
    buildServer();
    const database = await createPostgresDatabase();
    drop = database.drop;
    const env = {
      DATABASE_URL: database.url,
      SHL_API_KEY: API_KEY,
      SHL_KEY_ENCRYPTION_KEY: encodeBase64url(new Uint8Array(randomBytes(32))),
    };
    servers = await Promise.all([spawnServer(env), spawnServer(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await drop?.();
  });

  const bothServers = (context: { skip: () => void }): string[] => {
    if (servers.length === 0) {
      console.warn(
        'server tests: TEST_DATABASE_URL is not set, so the two-process PostgreSQL race is SKIPPED',
      );
      context.skip();
    }
    return servers.map((server) => server.url);
  };

  it('counts wrong passcodes across both processes: exactly five 401s in all, then 404 everywhere', async (context) => {
    await expectWrongGuessesSpendExactlyTheAttempts(bothServers(context));
  });

  it(`serves ${PARALLEL_RIGHT} right passcodes split over both processes at a ${ATTEMPTS}-attempt link`, async (context) => {
    await expectRightGuessesAllServed(bothServers(context), ATTEMPTS);
  });

  it(`serves ${PARALLEL_RIGHT} right passcodes split over both processes at a 1-attempt link`, async (context) => {
    await expectRightGuessesAllServed(bothServers(context), 1);
  });
});
