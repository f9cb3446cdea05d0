import type { Manifest, ManifestFile, ManifestRequest, ManifestStatus } from '@shlkit/core';
import { recordAccess } from '../access-log/access-log.repository.js';
import { epochSeconds } from '../clock.js';
import type { AccessOutcome, Database } from '../db/schema.js';
import { issueTicket, purgeExpiredTickets } from '../files/file-tickets.js';
import type { LinkDeps } from '../links/link-deps.js';
import { listFiles } from '../links/links.repository.js';
import { verifySecret } from '../passcodes/scrypt-hash.js';
import { spendPasscodeAttempt } from '../passcodes/spend-attempt.js';
import { findPublicLink, isStillActive } from './public-link.repository.js';

export type ManifestAnswer =
  | { kind: 'manifest'; manifest: Manifest & { status: ManifestStatus } }
  | { kind: 'not-found' }
  | { kind: 'passcode'; code: 'SHL_PASSCODE_REQUIRED' | 'SHL_WRONG_PASSCODE'; remainingAttempts: number };

const NOT_FOUND: ManifestAnswer = { kind: 'not-found' };

export const fileLocation = (publicBaseUrl: string, linkId: string, fileId: string, ticket: string): string =>
  `${publicBaseUrl}/shl/${linkId}/files/${fileId}?ticket=${ticket}`;

/**
 * SHL manifest request. Every outcome is written to the access log in the transaction that carries it.
 * Unknown ids are not logged: there is no owner to show them to.
 */
export const answerManifestRequest = async (
  deps: LinkDeps,
  linkId: string,
  request: ManifestRequest,
): Promise<ManifestAnswer> => {
  const now = new Date(deps.clock.now());
  const nowSeconds = epochSeconds(deps.clock);
  const link = await findPublicLink(deps.db, linkId, nowSeconds);
  if (link === undefined) return NOT_FOUND;
  const log = (db: Database, outcome: AccessOutcome) =>
    recordAccess(db, { linkId, at: now, recipient: request.recipient, path: 'manifest', outcome });

  // SHL: a U link has no manifest; receivers GET the file. SHL: every inactive state answers one 404.
  if (link.status !== 'active' || link.flags.includes('U')) {
    await log(deps.db, 'inactive');
    return NOT_FOUND;
  }
  if (link.passcode !== null) {
    if (request.passcode === undefined) {
      // Our choice: a missing passcode spends no attempt; the receiver learns how many remain.
      await log(deps.db, 'passcode-required');
      return { kind: 'passcode', code: 'SHL_PASSCODE_REQUIRED', remainingAttempts: link.passcode.remaining };
    }
    if (!(await verifySecret(request.passcode, link.passcode.hash))) {
      const remaining = await deps.db.transaction().execute(async (trx) => {
        const left = await spendPasscodeAttempt(trx, linkId, now);
        await log(trx, left === null ? 'inactive' : 'wrong-passcode');
        return left;
      });
      return remaining === null
        ? NOT_FOUND
        : { kind: 'passcode', code: 'SHL_WRONG_PASSCODE', remainingAttempts: remaining };
    }
  }

  const longTerm = link.flags.includes('L');
  const cap = Math.min(
    deps.settings.embeddedLengthMax,
    request.embeddedLengthMax ?? Number.POSITIVE_INFINITY,
  );
  const base = deps.publicBaseUrl();
  return deps.db.transaction().execute(async (trx) => {
    if (!(await isStillActive(trx, linkId, nowSeconds))) {
      await log(trx, 'inactive');
      return NOT_FOUND;
    }
    const stored = await listFiles(trx, linkId);
    const expiresAt = new Date(now.getTime() + deps.settings.locationTtlSeconds * 1000);
    if (stored.some((file) => file.jwe.length > cap)) await purgeExpiredTickets(trx, now);
    const files: ManifestFile[] = [];
    for (const file of stored) {
      const entry: ManifestFile = {
        contentType: file.contentType,
        lastUpdated: file.lastUpdated.toISOString(),
      };
      if (file.jwe.length <= cap) entry.embedded = file.jwe;
      else {
        const ticket = await issueTicket(trx, deps.random, {
          linkId,
          fileId: file.id,
          recipient: request.recipient,
          expiresAt,
        });
        entry.location = fileLocation(base, linkId, file.id, ticket);
      }
      files.push(entry);
    }
    await log(trx, 'ok');
    return { kind: 'manifest', manifest: { status: longTerm ? 'can-change' : 'finalized', files } };
  });
};
