import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, type ListeningServer, startListeningServer } from './support/test-app.js';

const patient = { resourceType: 'Patient', id: 'p1' };

const statusCounts = (statuses: number[]): Record<number, number> => {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

describe.each(testDatabases())('use limit (maxUses) on $name', (target) => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await startListeningServer(target);
  });
  afterAll(() => server?.close());

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const create = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/api/links', { content: patient, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; payload: { url: string } };
  };
  // Every answer's body is read to the end: a body left unread keeps its socket busy, and when the
  // server closes at the end of the suite, the unread stream errors outside any test.
  const directStatus = async (url: string): Promise<number> => {
    const res = await fetch(`${url}?recipient=r`);
    await res.arrayBuffer();
    return res.status;
  };
  const manifest = async (url: string, body: Record<string, unknown> = { recipient: 'r' }) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('20 parallel manifest requests at maxUses=5 give exactly 5 answers and 15 uniform 404s', async () => {
    const link = await create({ maxUses: 5 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const res = await manifest(link.payload.url);
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(statusCounts(answers)).toEqual({ 200: 5, 404: 15 });
    const view = (await api('GET', `/api/links/${link.id}`)).body;
    expect(view).toMatchObject({ status: 'used-up', uses: 5, maxUses: 5 });
    const unknown = await (await manifest(`${server.url}/shl/${'A'.repeat(43)}`)).text();
    expect(await (await manifest(link.payload.url)).text()).toBe(unknown);
  });

  it('counts direct-file answers, not location GETs, and PATCH raises or removes the limit', async () => {
    const direct = await create({ direct: true, maxUses: 1 });
    expect(await directStatus(direct.payload.url)).toBe(200);
    expect(await directStatus(direct.payload.url)).toBe(404);
    expect((await api('GET', `/api/links/${direct.id}`)).body).toMatchObject({ status: 'used-up', uses: 1 });

    const raised = await api('PATCH', `/api/links/${direct.id}`, { maxUses: 2 });
    expect(raised.body).toMatchObject({ status: 'active', uses: 1, maxUses: 2 });
    expect(await directStatus(direct.payload.url)).toBe(200);
    expect(await directStatus(direct.payload.url)).toBe(404);
    const unlimited = await api('PATCH', `/api/links/${direct.id}`, { maxUses: null });
    expect(unlimited.body).toMatchObject({ status: 'active', uses: 2, maxUses: null });
    expect(await directStatus(direct.payload.url)).toBe(200);

    // A manifest answer with a location URL is one use; fetching that location is not a second one.
    const large = await create({ maxUses: 1, content: { resourceType: 'Patient', text: 'x'.repeat(2000) } });
    const res = await manifest(large.payload.url, { recipient: 'r', embeddedLengthMax: 10 });
    const files = ((await res.json()) as { files: { location: string }[] }).files;
    expect(files[0]?.location).toBeDefined();
    const location = await fetch(files[0]?.location ?? '');
    await location.arrayBuffer();
    expect(location.status).toBe(200);
    expect((await api('GET', `/api/links/${large.id}`)).body).toMatchObject({ status: 'used-up', uses: 1 });
  });

  it('lists used-up links under the status filter, and refuses a use limit below 1', async () => {
    const link = await create({ maxUses: 1, label: 'filter me' });
    await (await manifest(link.payload.url)).arrayBuffer();
    const usedUp = await api('GET', '/api/links?status=used-up&limit=200');
    const ids = (usedUp.body.links as { id: string; status: string }[]).map((l) => l.id);
    expect(ids).toContain(link.id);
    expect((usedUp.body.links as { status: string }[]).every((l) => l.status === 'used-up')).toBe(true);
    const active = await api('GET', '/api/links?status=active&limit=200');
    expect((active.body.links as { id: string }[]).map((l) => l.id)).not.toContain(link.id);
    const zero = await api('POST', '/api/links', { content: patient, maxUses: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.error).toMatchObject({ code: 'SHL_VALIDATION_FAILED', field: 'maxUses' });
  });
});
