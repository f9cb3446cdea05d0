import type { Manifest, ManifestFile, ManifestRequest, ManifestStatus } from '@shlkit/core';
import { recordAccess } from '../access-log/access-log.repository.js';
import { epochSeconds } from '../clock.js';
import type { AccessOutcome } from '../db/schema.js';
import { issueTicket, purgeExpiredTickets } from '../files/file-tickets.js';
import type { LinkDeps } from '../links/link-deps.js';
import { verifySecret } from '../passcodes/scrypt-hash.js';
import { refundPasscodeAttempt } from '../passcodes/refund-attempt.js';
import { spendPasscodeAttempt } from '../passcodes/spend-attempt.js';
import { pollWait } from './poll-wait.js';
import { findPublicLink } from './public-link.repository.js';
import { serveActiveLink } from './serve-active-link.js';

export type ManifestAnswer =
  | {
      kind: 'manifest';
      manifest: Manifest & { status: ManifestStatus };
      /** L links: the least wait before the next poll, when the server sets one. */
      retryAfter?: number;
    }
  | { kind: 'not-found' }
  | { kind: 'rate-limited'; retryAfter: number }
  | { kind: 'passcode'; code: 'SHL_PASSCODE_REQUIRED' | 'SHL_WRONG_PASSCODE'; remainingAttempts: number };

const NOT_FOUND: ManifestAnswer = { kind: 'not-found' };

export const fileLocation = (publicBaseUrl: string, linkId: string, fileId: string, ticket: string): string =>
  `${publicBaseUrl}/shl/${linkId}/files/${fileId}?ticket=${ticket}`;

/**
 * SHL manifest request. Every outcome is written to the access log, an `ok` in the same statement that
 * reads the files. Unknown ids are not logged: there is no owner to show them to.
 */
export const answerManifestRequest = async (
  deps: LinkDeps,
  linkId: string,
  request: ManifestRequest,
): Promise<ManifestAnswer> => {
  const now = new Date(deps.clock.now());
  const nowSeconds = epochSeconds(deps.clock);
  const serve = (checked: boolean, refundAttempt = false) =>
    serveManifest(deps, {
      linkId,
      request,
      now,
      nowSeconds,
      passcodeChecked: checked,
      // With no poll limit there is nothing to check for L links, so they take the quick path too.
      longTermChecked: checked || deps.settings.pollIntervalSeconds === 0,
      refundAttempt,
    });

  // The common case, an active link without passcode (nor flag L under a poll limit), is one statement.
  const quick = await serve(false);
  if (quick !== undefined) return quick;

  const link = await findPublicLink(deps.db, linkId, nowSeconds);
  if (link === undefined) return NOT_FOUND;
  const log = (outcome: AccessOutcome) =>
    recordAccess(deps.db, { linkId, at: now, recipient: request.recipient, path: 'manifest', outcome });

  const longTerm = link.flags.includes('L');
  // SHL: a U link has no manifest; receivers GET the file. SHL: every inactive state answers one 404.
  // A link without passcode or L lands here only if it stopped being active since the statement above.
  if (link.status !== 'active' || link.flags.includes('U') || (link.passcode === null && !longTerm)) {
    await log('inactive');
    return NOT_FOUND;
  }
  if (longTerm) {
    // Checked before the passcode, so that a receiver polling too fast spends no attempts.
    const wait = await pollWait(deps.db, {
      linkId,
      recipient: request.recipient,
      now,
      intervalSeconds: deps.settings.pollIntervalSeconds,
    });
    if (wait > 0) {
      await log('rate-limited');
      return { kind: 'rate-limited', retryAfter: wait };
    }
  }
  if (link.passcode === null) return (await serve(true)) ?? logInactive(log);
  if (request.passcode === undefined || request.passcode === '') {
    // Our choice: a missing (or empty) passcode spends no attempt; the receiver learns how many remain.
    await log('passcode-required');
    return { kind: 'passcode', code: 'SHL_PASSCODE_REQUIRED', remainingAttempts: link.passcode.remaining };
  }
  // Every guess reserves an attempt before it is checked, so that parallel guesses can never test more
  // passcodes than the link has attempts left (checking first would let each of them slip past a count
  // that the others have not lowered yet). A right passcode gets its attempt back.
  const left = await spendPasscodeAttempt(deps.db, linkId, now);
  if (left === null) return logInactive(log);
  if (!(await verifySecret(request.passcode, link.passcode.hash))) {
    await log('wrong-passcode');
    return { kind: 'passcode', code: 'SHL_WRONG_PASSCODE', remainingAttempts: left };
  }
  return (await serve(true, true)) ?? logInactive(log);
};

const logInactive = async (log: (outcome: AccessOutcome) => Promise<void>): Promise<ManifestAnswer> => {
  await log('inactive');
  return NOT_FOUND;
};

interface ServeManifestInput {
  linkId: string;
  request: ManifestRequest;
  now: Date;
  nowSeconds: number;
  passcodeChecked: boolean;
  longTermChecked: boolean;
  /** Give back the attempt reserved for a passcode that proved right, in the serving transaction. */
  refundAttempt: boolean;
}

/**
 * Reads the files and logs the access (one statement), then issues `location` tickets for files longer
 * than the cap, all in one transaction: the log row and the tickets commit together or not at all.
 */
const serveManifest = (deps: LinkDeps, input: ServeManifestInput): Promise<ManifestAnswer | undefined> => {
  const cap = Math.min(
    deps.settings.embeddedLengthMax,
    input.request.embeddedLengthMax ?? Number.POSITIVE_INFINITY,
  );
  return deps.db.transaction().execute(async (trx) => {
    if (input.refundAttempt) await refundPasscodeAttempt(trx, input.linkId, input.now);
    const served = await serveActiveLink(trx, {
      linkId: input.linkId,
      at: input.now,
      nowSeconds: input.nowSeconds,
      recipient: input.request.recipient,
      path: 'manifest',
      passcodeChecked: input.passcodeChecked,
      longTermChecked: input.longTermChecked,
    });
    if (served === undefined) return undefined;
    if (served.files.some((file) => file.jwe.length > cap)) await purgeExpiredTickets(trx, input.now);
    const expiresAt = new Date(input.now.getTime() + deps.settings.locationTtlSeconds * 1000);
    const files: ManifestFile[] = [];
    for (const file of served.files) {
      const entry: ManifestFile = {
        contentType: file.contentType,
        lastUpdated: file.lastUpdated.toISOString(),
      };
      if (file.jwe.length <= cap) entry.embedded = file.jwe;
      else {
        const ticket = await issueTicket(trx, deps.random, {
          linkId: input.linkId,
          fileId: file.id,
          recipient: input.request.recipient,
          expiresAt,
        });
        entry.location = fileLocation(deps.publicBaseUrl(), input.linkId, file.id, ticket);
      }
      files.push(entry);
    }
    if (!served.flags.includes('L')) return { kind: 'manifest', manifest: { status: 'finalized', files } };
    const interval = deps.settings.pollIntervalSeconds;
    return {
      kind: 'manifest',
      manifest: { status: 'can-change', files },
      ...(interval > 0 ? { retryAfter: interval } : {}),
    };
  });
};
