import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { createLinkId } from './support/serving.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const METRICS_TOKEN = 'metrics-token-0123456789';
const SCRAPE = { authorization: `Bearer ${METRICS_TOKEN}` };
const PASSCODE = 'open sesame';

/** The value of one sample line (`name{labels} value`) of a Prometheus text answer; 0 when absent. */
const sample = (text: string, series: string): number => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
};

/** How much each series grew between two scrapes. */
const growth =
  (before: string, after: string) =>
  (series: string): number =>
    sample(after, series) - sample(before, series);

describe.each(testDatabases())('/metrics on $name', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target, { SHL_METRICS_TOKEN: METRICS_TOKEN });
  });
  afterAll(() => t?.close());

  const scrape = async (): Promise<string> => {
    const res = await t.app.inject({ url: '/metrics', headers: SCRAPE });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  it('asks for the bearer token when SHL_METRICS_TOKEN is set', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: `Basic ${METRICS_TOKEN}` },
    ]) {
      const res = await t.app.inject({ url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('SHL_UNAUTHORIZED');
    }
  });

  it('counts a create, resolve, wrong-passcode and lockout cycle under the fixed names, by route pattern only', async () => {
    const before = await scrape();
    const open = (
      await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: { resourceType: 'Patient' } },
      })
    ).json();
    const locked = (
      await t.app.inject({
        method: 'POST',
        url: '/api/links',
        headers: AUTH,
        payload: { content: { resourceType: 'Patient' }, passcode: PASSCODE, passcodeAttempts: 2 },
      })
    ).json();
    const ask = (id: string, passcode?: string) =>
      t.app.inject({
        method: 'POST',
        url: `/shl/${id}`,
        payload: { recipient: 'Dr. Metrics', ...(passcode === undefined ? {} : { passcode }) },
      });
    expect((await ask(open.id)).statusCode).toBe(200);
    expect((await ask(locked.id)).statusCode).toBe(401); // passcode required
    expect((await ask(locked.id, PASSCODE)).statusCode).toBe(200);
    expect((await ask(locked.id, 'wrong one')).json().remainingAttempts).toBe(1);
    expect((await ask(locked.id, 'wrong two')).json().remainingAttempts).toBe(0);
    expect((await ask(locked.id, PASSCODE)).statusCode).toBe(404); // locked
    expect((await t.app.inject({ url: `/no/such/${open.id}` })).statusCode).toBe(404);

    const after = await scrape();
    const grew = growth(before, after);
    expect(grew('shlkit_links_created_total')).toBe(2);
    expect(grew('shlkit_manifest_requests_total{outcome="ok"}')).toBe(2);
    expect(grew('shlkit_manifest_requests_total{outcome="passcode-required"}')).toBe(1);
    expect(grew('shlkit_manifest_requests_total{outcome="wrong-passcode"}')).toBe(2);
    expect(grew('shlkit_manifest_requests_total{outcome="not-found"}')).toBe(1);
    expect(grew('shlkit_passcode_failures_total')).toBe(2);
    expect(grew('shlkit_lockouts_total')).toBe(1);
    expect(grew('shlkit_http_requests_total{route="/api/links",status="201"}')).toBe(2);
    expect(grew('shlkit_http_requests_total{route="/shl/:id",status="200"}')).toBe(2);
    expect(grew('shlkit_http_requests_total{route="/shl/:id",status="401"}')).toBe(3);
    expect(grew('shlkit_http_requests_total{route="/shl/:id",status="404"}')).toBe(1);
    expect(grew('shlkit_http_requests_total{route="(unmatched)",status="404"}')).toBe(1);
    expect(grew('shlkit_http_request_duration_seconds_count{route="/shl/:id"}')).toBe(6);
    expect(after).toMatch(/^# TYPE shlkit_http_request_duration_seconds histogram$/m);
    expect(after).toMatch(
      /^shlkit_http_request_duration_seconds_bucket\{le="0\.1",route="\/shl\/:id"\} \d+$/m,
    );
    for (const state of ['active', 'idle', 'waiting']) {
      expect(after).toMatch(new RegExp(`^shlkit_db_pool_connections\\{state="${state}"\\} \\d+$`, 'm'));
    }
    // Link ids never become labels.
    expect(after).not.toContain(open.id);
    expect(after).not.toContain(locked.id);
  });

  it('counts the requests of each group-commit batch, by path (shlkit_group_commit_batch_size)', async () => {
    const linkId = await createLinkId(t);
    const before = await scrape();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.app.inject({ method: 'POST', url: `/shl/${linkId}`, payload: { recipient: 'Dr. Batch' } }),
      ),
    );
    expect(answers.map((res) => res.statusCode)).toEqual(Array(8).fill(200));
    const after = await scrape();
    const grew = growth(before, after);
    expect(grew('shlkit_group_commit_batch_size_sum{path="manifest"}')).toBe(8);
    const batches = grew('shlkit_group_commit_batch_size_count{path="manifest"}');
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThanOrEqual(8);
    expect(grew('shlkit_group_commit_batch_size_bucket{le="256",path="manifest"}')).toBe(batches);
    expect(after).toMatch(/^# TYPE shlkit_group_commit_batch_size histogram$/m);
  });
});
