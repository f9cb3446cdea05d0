import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase, describePostgres } from './support/databases.js';
import { buildServer, type ServerProcess, spawnServer } from './support/spawn-server.js';
import { API_KEY, AUTH } from './support/test-app.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Example' }] };

interface Answer {
  status: number;
  retryAfter: string | null;
  code: string | undefined;
}

/** One HTTP exchange, reduced to what the fault tests check; `status` 0 when no answer came. */
const ask = async (url: string, init: RequestInit = {}): Promise<Answer> => {
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    return { status: res.status, retryAfter: res.headers.get('retry-after'), code };
  } catch {
    return { status: 0, retryAfter: null, code: undefined };
  }
};

const json = (body: unknown, headers: Record<string, string> = AUTH): RequestInit => ({
  method: 'POST',
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Polls `check` every 100 ms until it holds (the test's own timeout bounds it). */
const eventually = async (check: () => Promise<boolean>): Promise<void> => {
  while (!(await check())) await sleep(100);
};

/** The PostgreSQL server of TEST_DATABASE_URL, which the proxy forwards to. */
const postgresAddress = (url: string): { host: string; port: number } => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5432) };
};

describePostgres('a server whose PostgreSQL goes away and comes back (a TCP proxy cut and restored)', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let proxy: TcpProxy;
  let server: ServerProcess;
  let linkId: string;

  beforeAll(async () => {
    buildServer();
    database = await createPostgresDatabase();
    proxy = await startTcpProxy(postgresAddress(database.url));
    const viaProxy = new URL(database.url);
    viaProxy.hostname = proxy.host;
    viaProxy.port = String(proxy.port);
    server = await spawnServer({
      DATABASE_URL: viaProxy.toString(),
      SHL_API_KEY: API_KEY,
      SHL_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64url'),
      DB_CONNECT_TIMEOUT_MS: '1000',
      DB_STATEMENT_TIMEOUT_MS: '1500',
    });
    const created = await fetch(`${server.url}/api/links`, json({ content: patient }));
    linkId = ((await created.json()) as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 SHL_UNAVAILABLE with Retry-After while it is away, never 500, does not crash, and recovers without a restart', async () => {
    expect((await ask(`${server.url}/readyz`)).status).toBe(200);
    const answers: Answer[] = [];
    let running = true;
    const worker = async () => {
      while (running) {
        answers.push(await ask(`${server.url}/api/links`, json({ content: patient })));
        answers.push(await ask(`${server.url}/api/links/${linkId}`, { headers: AUTH }));
        answers.push(await ask(`${server.url}/shl/${linkId}`, json({ recipient: 'fault test' }, {})));
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    await eventually(async () => answers.filter((a) => a.status < 300).length >= 12);

    await proxy.cut();
    await eventually(async () => answers.filter((a) => a.status === 503).length >= 12);
    const ready = await ask(`${server.url}/readyz`);
    expect(ready).toEqual({ status: 503, retryAfter: '5', code: 'SHL_UNAVAILABLE' });
    expect((await ask(`${server.url}/healthz`)).status).toBe(200);

    await proxy.restore();
    await eventually(async () => (await ask(`${server.url}/readyz`)).status === 200);
    const afterRestore = answers.length;
    await eventually(async () => answers.slice(afterRestore).filter((a) => a.status < 300).length >= 12);
    running = false;
    await Promise.all(workers);

    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].sort()).toEqual([200, 201, 503]);
    for (const answer of answers.filter((a) => a.status === 503)) {
      expect(answer).toEqual({ status: 503, retryAfter: '5', code: 'SHL_UNAVAILABLE' });
    }
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/Unhandled|uncaught/i);
    expect((await ask(`${server.url}/api/links`, json({ content: patient }))).status).toBe(201);
  }, 120_000);

  it('answers 503 SHL_UNAVAILABLE when a statement outlasts DB_STATEMENT_TIMEOUT_MS (a row held locked)', async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from shl_links where id = $1 for update', [linkId]);
      const patch = await ask(`${server.url}/api/links/${linkId}`, {
        method: 'PATCH',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'waits for the lock' }),
      });
      expect(patch).toEqual({ status: 503, retryAfter: '5', code: 'SHL_UNAVAILABLE' });
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const retried = await ask(`${server.url}/api/links/${linkId}`, {
      method: 'PATCH',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'after the lock' }),
    });
    expect(retried.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  }, 60_000);
});

describePostgres('a server killed (SIGKILL) during concurrent creates', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const env = (url: string) => ({
    DATABASE_URL: url,
    SHL_API_KEY: API_KEY,
    SHL_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64url'),
  });

  beforeAll(async () => {
    buildServer();
    database = await createPostgresDatabase();
  }, 120_000);
  afterAll(() => database?.drop());

  it('leaves no half-created link, and the retries with the same Idempotency-Keys make each link once', async () => {
    const first = await spawnServer(env(database.url));
    const bodies = Array.from({ length: 24 }, (_, index) => ({
      label: `crash ${index}`,
      passcode: `passcode ${index}`,
      files: [
        { contentType: 'application/fhir+json', content: { ...patient, id: `a${index}` } },
        { contentType: 'application/fhir+json', content: { ...patient, id: `b${index}` } },
      ],
    }));
    const send = (url: string, index: number) =>
      ask(`${url}/api/links`, json(bodies[index], { ...AUTH, 'idempotency-key': `crash-${index}` }));
    const pending = bodies.map((_, index) =>
      send(first.url, index).then((answer) => {
        // Killed as soon as the first link is answered: the others are somewhere on their way.
        if (answer.status === 201) first.child.kill('SIGKILL');
        return answer;
      }),
    );
    const answers = await Promise.all(pending);
    if (first.child.exitCode === null && first.child.signalCode === null) {
      await new Promise((resolve) => first.child.once('exit', resolve));
    }
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(answers.some((a) => a.status === 201)).toBe(true);
    expect(answers.some((a) => a.status === 0)).toBe(true);

    const check = new pg.Client({ connectionString: database.url });
    await check.connect();
    try {
      const consistent = async () => {
        const { rows } = await check.query<{
          id: string;
          files: string;
          passcodes: string;
          keys: string;
          audits: string;
          wrapped: boolean;
        }>(`
          select l.id, l.wrapped_key is not null as wrapped,
            (select count(*) from shl_files f where f.link_id = l.id) as files,
            (select count(*) from shl_passcodes p where p.link_id = l.id) as passcodes,
            (select count(*) from shl_idempotency_keys k where k.link_id = l.id) as keys,
            (select count(*) from shl_audit_log a where a.link_id = l.id and a.action = 'link.created') as audits
          from shl_links l`);
        for (const row of rows) {
          expect(row).toMatchObject({ wrapped: true, files: '2', passcodes: '1', keys: '1', audits: '1' });
        }
        return rows.length;
      };
      // Every answered 201 committed; links whose 201 was lost with the process may have too, each whole.
      expect(await consistent()).toBeGreaterThanOrEqual(answers.filter((a) => a.status === 201).length);

      const second = await spawnServer(env(database.url));
      try {
        // As a client would: again on 503 (the pool's wait for a connection is bounded too), same key.
        const retry = async (index: number): Promise<Answer> => {
          const answer = await send(second.url, index);
          if (answer.status !== 503) return answer;
          await sleep(200);
          return retry(index);
        };
        const retries = await Promise.all(bodies.map((_, index) => retry(index)));
        expect(retries.map((a) => a.status)).toEqual(Array(bodies.length).fill(201));
        expect(await consistent()).toBe(bodies.length);
      } finally {
        await second.stop();
      }
    } finally {
      await check.end();
    }
  }, 180_000);
});
