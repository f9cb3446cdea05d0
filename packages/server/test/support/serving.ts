import { expect } from 'vitest';
import type { BatchRequest } from '../../src/group-commit/serve-many.js';
import { hashTicket } from '../../src/files/file-tickets.js';
import { createKeyWrapper } from '../../src/key-wrapping/key-wrapper.js';
import type { LinkDeps } from '../../src/links/link-deps.js';
import { cryptoRandom } from '../../src/random.js';
import { AUTH, BASE, type TestApp } from './test-app.js';

/** A promise with its resolve handle, to hold a batch or a transaction open for as long as a test wants. */
export const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

/** Creates a link to a small Patient through the management API and returns its id. */
export const createLinkId = async (t: TestApp, body: Record<string, unknown> = {}): Promise<string> => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/links',
    headers: AUTH,
    payload: { content: { resourceType: 'Patient', id: 'p' }, ...body },
  });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
};

/** A manifest request as a batch takes it; `cap` is the embedded length limit (null: none). */
export const manifestRequest = (
  linkId: string,
  recipient: string,
  cap: number | null = null,
): BatchRequest => ({
  path: 'manifest',
  linkId,
  recipient,
  cap,
});

/**
 * The services' dependencies over the test app's database and clock, without group commit: every request
 * made with them takes the one-request path (manifests/manifest.service.ts, files/file.service.ts), which
 * in the app serves only what a batch leaves. Its own key-encryption key: file answers unwrap no key.
 */
export const oneRequestDeps = (t: TestApp): LinkDeps => ({
  db: t.db,
  clock: t.clock,
  random: cryptoRandom,
  keys: createKeyWrapper(cryptoRandom(32), cryptoRandom),
  publicBaseUrl: () => BASE,
  settings: {
    defaultPasscodeAttempts: 5,
    fhirContentTypeParam: true,
    compressFiles: false,
    embeddedLengthMax: 100_000,
    locationTtlSeconds: 3600,
    pollIntervalSeconds: 0,
  },
});

/** A link's access-log rows in the order written: path, outcome, recipient and file. */
export const accessLogOf = (t: TestApp, linkId: string) =>
  t.db
    .selectFrom('shl_access_log')
    .select(['path', 'outcome', 'recipient', 'file_id'])
    .where('link_id', '=', linkId)
    .orderBy('id')
    .execute();

/** A link's use count. */
export const usesOf = async (t: TestApp, linkId: string): Promise<number> =>
  Number(
    (await t.db.selectFrom('shl_links').select('uses').where('id', '=', linkId).executeTakeFirstOrThrow())
      .uses,
  );

/** A passcode link's lifetime attempts left. */
export const remainingAttemptsOf = async (t: TestApp, linkId: string): Promise<number> =>
  Number(
    (
      await t.db
        .selectFrom('shl_passcodes')
        .select('remaining')
        .where('link_id', '=', linkId)
        .executeTakeFirstOrThrow()
    ).remaining,
  );

/** A `location` GET as a batch takes it, for each file of a manifest answer's `location` URLs. */
export const locationBatchRequests = (
  linkId: string,
  files: ReadonlyArray<{ location: string }>,
): Array<Extract<BatchRequest, { path: 'file' }>> =>
  files.map((file) => {
    const location = new URL(file.location);
    return {
      path: 'file',
      linkId,
      fileId: location.pathname.split('/').at(-1) ?? '',
      ticketHash: hashTicket(location.searchParams.get('ticket') ?? ''),
    };
  });
