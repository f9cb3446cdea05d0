import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerDirectRequest, answerLocationRequest } from '../src/files/file.service.js';
import { issueTicket, purgeExpiredTickets } from '../src/files/file-tickets.js';
import { cryptoRandom } from '../src/random.js';
import { testDatabases } from './support/databases.js';
import { accessLogOf, createLinkId, oneRequestDeps, usesOf } from './support/serving.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The one-request path of the file endpoints (src/files/file.service.ts): in the app, group commit serves
 * every request it can and leaves this path the rest; a service called without batches takes it for
 * everything. It must obey the same rule, log the same rows and send the same bytes.
 */
describe.each(testDatabases())(
  'direct-file and location answers without group commit, on $name',
  (target) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(target);
    });
    afterAll(() => t?.close());

    const storedJwe = async (linkId: string) =>
      await t.db
        .selectFrom('shl_files')
        .select(['id', 'jwe'])
        .where('link_id', '=', linkId)
        .executeTakeFirstOrThrow();
    const uses = (linkId: string) => usesOf(t, linkId);
    const log = (linkId: string) => accessLogOf(t, linkId);
    /** A location URL of the link's first file, from a manifest answer (recipient `clinic`). */
    const locationOf = async (linkId: string, passcode?: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/shl/${linkId}`,
        payload: {
          recipient: 'clinic',
          embeddedLengthMax: 0,
          ...(passcode === undefined ? {} : { passcode }),
        },
      });
      expect(res.statusCode).toBe(200);
      const url = new URL(res.json().files[0].location as string);
      return { fileId: url.pathname.split('/').at(-1) ?? '', ticket: url.searchParams.get('ticket') ?? '' };
    };

    it('serves a U link by direct GET: the stored JWE as bytes, one use, one ok row naming the file', async () => {
      const linkId = await createLinkId(t, { direct: true });
      const file = await storedJwe(linkId);
      const answer = await answerDirectRequest(oneRequestDeps(t), { linkId, recipient: 'Dr. A' });
      expect(answer?.jwe.toString('utf8')).toBe(file.jwe);
      expect(await uses(linkId)).toBe(1);
      expect(await log(linkId)).toEqual([
        { path: 'direct', outcome: 'ok', recipient: 'Dr. A', file_id: file.id },
      ]);
    });

    it('refuses a deactivated U link by direct GET and logs it as inactive, counting no use', async () => {
      const linkId = await createLinkId(t, { direct: true });
      await t.app.inject({
        method: 'PATCH',
        url: `/api/links/${linkId}`,
        headers: AUTH,
        payload: { active: false },
      });
      expect(await answerDirectRequest(oneRequestDeps(t), { linkId, recipient: 'Dr. A' })).toBeUndefined();
      expect(await uses(linkId)).toBe(0);
      expect(await log(linkId)).toEqual([
        { path: 'direct', outcome: 'inactive', recipient: 'Dr. A', file_id: null },
      ]);
    });

    it('serves a location URL with its ticket: the JWE, no use counted, logged under the ticket’s recipient', async () => {
      const linkId = await createLinkId(t);
      const { fileId, ticket } = await locationOf(linkId);
      const usesBefore = await uses(linkId);
      const answer = await answerLocationRequest(oneRequestDeps(t), { linkId, fileId, ticket });
      expect(answer?.jwe.toString('utf8')).toBe((await storedJwe(linkId)).jwe);
      expect(await uses(linkId)).toBe(usesBefore);
      expect((await log(linkId)).at(-1)).toEqual({
        path: 'file',
        outcome: 'ok',
        recipient: 'clinic',
        file_id: fileId,
      });
    });

    it('serves the location URLs of passcode and long-term links, whose tickets stand for the passcode and the poll', async () => {
      for (const body of [{ passcode: 'pw' }, { longTerm: true }]) {
        const linkId = await createLinkId(t, body);
        const { fileId, ticket } = await locationOf(linkId, 'passcode' in body ? 'pw' : undefined);
        const answer = await answerLocationRequest(oneRequestDeps(t), { linkId, fileId, ticket });
        expect(answer?.jwe.toString('utf8'), JSON.stringify(body)).toBe((await storedJwe(linkId)).jwe);
      }
    });

    it('refuses a location URL whose ticket is wrong and logs it as inactive, naming the file and no recipient', async () => {
      const linkId = await createLinkId(t);
      const { fileId } = await locationOf(linkId);
      const wrong = 'A'.repeat(43);
      expect(
        await answerLocationRequest(oneRequestDeps(t), { linkId, fileId, ticket: wrong }),
      ).toBeUndefined();
      expect((await log(linkId)).at(-1)).toEqual({
        path: 'file',
        outcome: 'inactive',
        recipient: null,
        file_id: fileId,
      });
    });

    it('refuses a location URL once its link is deactivated, though the ticket lives on', async () => {
      const linkId = await createLinkId(t);
      const { fileId, ticket } = await locationOf(linkId);
      await t.app.inject({
        method: 'PATCH',
        url: `/api/links/${linkId}`,
        headers: AUTH,
        payload: { active: false },
      });
      expect(await answerLocationRequest(oneRequestDeps(t), { linkId, fileId, ticket })).toBeUndefined();
      expect((await log(linkId)).at(-1)).toEqual({
        path: 'file',
        outcome: 'inactive',
        recipient: 'clinic',
        file_id: fileId,
      });
    });

    it('in the app, a location GET that a batch served is answered and logged once, not again by the one-request path', async () => {
      const linkId = await createLinkId(t);
      const { fileId, ticket } = await locationOf(linkId);
      const res = await t.app.inject({ url: `/shl/${linkId}/files/${fileId}?ticket=${ticket}` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe((await storedJwe(linkId)).jwe);
      expect((await log(linkId)).filter((row) => row.path === 'file')).toEqual([
        { path: 'file', outcome: 'ok', recipient: 'clinic', file_id: fileId },
      ]);
    });

    it('purgeExpiredTickets drops the tickets that have expired and keeps the live ones', async () => {
      const linkId = await createLinkId(t);
      const { id: fileId } = await storedJwe(linkId);
      const now = new Date(t.clock.now());
      const ticket = (expiresAt: Date) =>
        issueTicket(t.db, cryptoRandom, { linkId, fileId, recipient: 'r', expiresAt });
      await ticket(new Date(now.getTime() - 1));
      await ticket(now);
      await ticket(new Date(now.getTime() + 1));
      await purgeExpiredTickets(t.db, now);
      const left = await t.db
        .selectFrom('shl_file_tickets')
        .select('expires_at')
        .where('link_id', '=', linkId)
        .execute();
      expect(left.map((row) => new Date(row.expires_at).getTime())).toEqual([now.getTime() + 1]);
    });
  },
);
