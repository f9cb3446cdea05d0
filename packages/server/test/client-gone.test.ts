import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SERVING_BATCHES_IN_FLIGHT } from '../src/db/one-round-trip.js';
import { describePostgres, postgresTargets } from './support/databases.js';
import { AUTH, startListeningServer } from './support/test-app.js';

/**
 * A request waits for its group-commit batch (group-commit/batcher.ts). If its client closes the
 * connection meanwhile, the answer would reach nobody: the request must then count no use and log no
 * access. The wait is made real by holding the link's row lock from another connection, which the
 * serving batches take first (links/lock-links.ts); the client leaves by closing its TCP socket.
 */
describePostgres.each(postgresTargets())(
  'a request whose client leaves before its batch on $name',
  (target) => {
    let url: string;
    let databaseUrl: string;
    let close: () => Promise<void>;
    beforeAll(async () => {
      const server = await startListeningServer(target);
      ({ url, close } = server);
      databaseUrl = server.databaseEnv.DATABASE_URL ?? '';
    });
    afterAll(() => close?.());

    /** Resolves once `count` statements of the server's wait for a lock (the held link row). */
    const waitersReach = async (watcher: pg.Client, count: number): Promise<void> => {
      for (let tries = 0; tries < 200; tries++) {
        const { rows } = await watcher.query<{ n: string }>(
          "select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
        );
        if (Number(rows[0]?.n) >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`never saw ${count} statements waiting for the lock`);
    };

    it('is left out of its batch: no use counted, no access logged; the others are served', async () => {
      const created = await fetch(`${url}/api/links`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ content: { resourceType: 'Patient', id: 'gone' } }),
      });
      const { id } = (await created.json()) as { id: string };
      const manifestUrl = new URL(`/shl/${id}`, url);
      const body = JSON.stringify({ recipient: 'Dr. Stays' });
      const ask = () =>
        fetch(manifestUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

      const holder = new pg.Client({ connectionString: databaseUrl });
      const watcher = new pg.Client({ connectionString: databaseUrl });
      await holder.connect();
      await watcher.connect();
      try {
        await holder.query('begin');
        await holder.query('select 1 from shl_links where id = $1 for update', [id]);
        // Fill every batch slot with a request that will stay, each in a batch of its own.
        const staying: Array<Promise<Response>> = [];
        for (let slot = 1; slot <= SERVING_BATCHES_IN_FLIGHT; slot++) {
          staying.push(ask());
          await waitersReach(watcher, slot);
        }
        // The next request can only queue. Its client sends it, then closes the connection.
        const leaving = connect(Number(manifestUrl.port), manifestUrl.hostname);
        await new Promise<void>((resolve) => leaving.once('connect', resolve));
        const leaverBody = JSON.stringify({ recipient: 'Dr. Leaves' });
        leaving.write(
          `POST ${manifestUrl.pathname} HTTP/1.1\r\nhost: ${manifestUrl.host}\r\n` +
            `content-type: application/json\r\ncontent-length: ${leaverBody.length}\r\n\r\n${leaverBody}`,
        );
        // Give the server time to read it and queue it behind the held batches, then leave.
        await new Promise((resolve) => setTimeout(resolve, 200));
        leaving.destroy();
        await new Promise((resolve) => setTimeout(resolve, 200));
        await holder.query('commit');

        const answers = await Promise.all(staying);
        expect(answers.map((answer) => answer.status)).toEqual(Array(SERVING_BATCHES_IN_FLIGHT).fill(200));
        // The server goes on serving.
        expect((await ask()).status).toBe(200);

        const log = await watcher.query<{ recipient: string; outcome: string }>(
          'select recipient, outcome from shl_access_log where link_id = $1 order by id',
          [id],
        );
        expect(log.rows).toEqual(
          Array(SERVING_BATCHES_IN_FLIGHT + 1).fill({ recipient: 'Dr. Stays', outcome: 'ok' }),
        );
        const uses = await watcher.query<{ uses: number }>('select uses from shl_links where id = $1', [id]);
        expect(uses.rows[0]?.uses).toBe(SERVING_BATCHES_IN_FLIGHT + 1);
        // Operators can see it happen.
        const metrics = await (await fetch(new URL('/metrics', url))).text();
        expect(metrics).toMatch(/^shlkit_group_commit_client_gone_total\{path="manifest"\} 1$/m);
      } finally {
        await holder.end();
        await watcher.end();
      }
    });
  },
);
