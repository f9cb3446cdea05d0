import type { Manifest, ManifestFile, ManifestRequest, ManifestStatus } from '@shlkit/core';
import type { PasscodeProof } from '../access-rule/access-rule.js';
import { recordAccess, recordRefusedAccess } from '../access-log/access-log.repository.js';
import type { AccessOutcome } from '../db/schema.js';
import type { ClientConnection } from '../http/client-connection.js';
import { issueTicket, purgeExpiredTickets } from '../files/file-tickets.js';
import type { LinkDeps } from '../links/link-deps.js';
import { lockLinks } from '../links/lock-links.js';
import {
  type AttemptHold,
  DEFAULT_HOLD_OPTIONS,
  type HoldOptions,
  holdPasscodeAttempt,
} from '../passcodes/hold-attempt.js';
import { releaseHeldAttempt, releaseLiveHold } from '../passcodes/release-attempt.js';
import { verifySecret } from '../passcodes/scrypt-hash.js';
import { spendHeldAttempt } from '../passcodes/spend-attempt.js';
import { embeddedEntry } from './manifest-bytes.js';
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
const NO_PASSCODE: PasscodeProof = { kind: 'none' };

/** Seconds a guess that found every attempt held for the whole wait is told to wait before asking again. */
const BUSY_RETRY_AFTER_SECONDS = 1;
const BUSY: ManifestAnswer = { kind: 'rate-limited', retryAfter: BUSY_RETRY_AFTER_SECONDS };

type Log = (outcome: AccessOutcome) => Promise<void>;

export const fileLocation = (publicBaseUrl: string, linkId: string, fileId: string, ticket: string): string =>
  `${publicBaseUrl}/shl/${linkId}/files/${fileId}?ticket=${ticket}`;

/**
 * SHL manifest request. Whether the link may be served is the access rule's call
 * (access-rule/access-rule.ts), made in the statement that serves it; this function only finds out which
 * answer to give when it may not. Every outcome is written to the access log, an `ok` in the same
 * statement that reads the files. Unknown ids are not logged: there is no owner to show them to.
 *
 * `client` is the client's connection. When `signal` aborts while a passcode guess waits for a free
 * attempt, the guess stops waiting at once (nothing held, nothing spent, nothing logged: no answer reaches
 * anyone). When `gone` says so as the request's group-commit batch starts, it is left out of the batch
 * and fails with `SHL_BAD_REQUEST` (group-commit/serving-batches.ts).
 */
export const answerManifestRequest = async (
  deps: LinkDeps,
  linkId: string,
  request: ManifestRequest,
  holdOptions: HoldOptions = DEFAULT_HOLD_OPTIONS,
  client: ClientConnection = {},
): Promise<ManifestAnswer> => {
  // The common case, an active link without passcode (nor flag L under a poll limit), is served in a
  // batch with the other requests in hand: one statement and one commit for all of them.
  const cap = embeddedCap(deps, request);
  if (deps.batches !== undefined) {
    const batched = await deps.batches.manifest(
      { path: 'manifest', linkId, recipient: request.recipient, cap: Number.isFinite(cap) ? cap : null },
      client.gone,
    );
    if (batched !== undefined) return manifestOf(deps, batched.flags, batched.files.map(embeddedEntry));
  }
  const now = new Date(deps.clock.now());
  // Without batches, or when the batch left it (files that need `location` tickets, the second request
  // of a use-limited link in one batch): one transaction. With no poll limit there is nothing to check
  // for L links, so they take it too.
  const quick = await serveManifest(deps, {
    linkId,
    request,
    now,
    passcode: NO_PASSCODE,
    longTermChecked: deps.settings.pollIntervalSeconds === 0,
  });
  if (quick !== undefined) return quick;

  const link = await findPublicLink(deps.db, linkId, now);
  // One statement whether the link exists or not (it writes nothing for an unknown id): the uniform 404
  // must be uniform in the work behind it too, or its latency would tell an unknown id from an inactive
  // link. Unknown ids are not logged: there is no owner to show them to.
  const log: Log = (outcome) =>
    recordRefusedAccess(deps.db, {
      linkId,
      at: new Date(deps.clock.now()),
      recipient: request.recipient,
      path: 'manifest',
      outcome,
    });

  // SHL: every inactive state answers one 404, an unknown id included.
  if (link === undefined || link.status !== 'active') return logInactive(log);
  const longTerm = link.flags.includes('L');
  if (link.flags.includes('U')) {
    // SHL: a U link has no manifest; receivers SHALL NOT POST for one, they GET the file. The owner sees
    // `wrong-method` (the link works, the receiver asked the wrong way). The answer stays the uniform 404
    // rather than 405: SHL names only 401, 404 and 429 as refusals at a link URL, receivers already read
    // 404 as "no manifest here", and a 405 would tell an active U link from an inactive one.
    await log('wrong-method');
    return NOT_FOUND;
  }
  // A link without passcode or L lands here only if it stopped being active since the statement above.
  if (link.remainingAttempts === null && !longTerm) return logInactive(log);
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
  if (link.remainingAttempts === null) {
    const served = await serveManifest(deps, {
      linkId,
      request,
      now,
      passcode: NO_PASSCODE,
      longTermChecked: true,
    });
    return served ?? logInactive(log);
  }
  if (request.passcode === undefined || request.passcode === '') {
    // Our choice: a missing (or empty) passcode spends no attempt; the receiver learns how many remain.
    await log('passcode-required');
    return { kind: 'passcode', code: 'SHL_PASSCODE_REQUIRED', remainingAttempts: link.remainingAttempts };
  }
  return answerPasscodeGuess(
    deps,
    { linkId, request, passcode: request.passcode, log },
    holdOptions,
    client.signal,
  );
};

/**
 * A guess holds one remaining attempt while it is compared (passcodes/hold-attempt.ts says why): a wrong
 * one spends it, a right one lets it go in the transaction that serves the manifest.
 */
const answerPasscodeGuess = async (
  deps: LinkDeps,
  guess: { linkId: string; request: ManifestRequest; passcode: string; log: Log },
  holdOptions: HoldOptions,
  signal: AbortSignal | undefined,
): Promise<ManifestAnswer> => {
  const held = await holdPasscodeAttempt(deps, guess.linkId, holdOptions, signal);
  if (held.kind === 'inactive') return logInactive(guess.log);
  // The client is gone: whatever we answer reaches nobody, and no guess was compared.
  if (held.kind === 'aborted') return BUSY;
  if (held.kind === 'busy') {
    await guess.log('rate-limited');
    return BUSY;
  }
  const { hold } = held;
  try {
    const right = await verifySecret(guess.passcode, hold.hash);
    // The guess may have waited for its hold: the answer is for now, not for when the request came in.
    const now = new Date(deps.clock.now());
    if (!right) {
      const left = await spendHeldAttempt(deps.db, hold, { at: now, recipient: guess.request.recipient });
      if (left === null) return await logInactive(guess.log);
      deps.metrics?.passcodeFailed(left === 0);
      return { kind: 'passcode', code: 'SHL_WRONG_PASSCODE', remainingAttempts: left };
    }
    const served = await serveManifest(deps, {
      linkId: guess.linkId,
      request: guess.request,
      now,
      passcode: { kind: 'verified', hash: hold.hash },
      longTermChecked: true,
      release: hold,
    });
    return served ?? (await logInactive(guess.log));
  } catch (error) {
    // The compare or the settling transaction failed: let the attempt go rather than keep it held until
    // the hold lapses. Nothing was spent, so nothing is lost.
    await releaseHeldAttempt(deps.db, hold);
    throw error;
  }
};

const logInactive = async (log: Log): Promise<ManifestAnswer> => {
  await log('inactive');
  return NOT_FOUND;
};

interface ServeManifestInput {
  linkId: string;
  request: ManifestRequest;
  now: Date;
  passcode: PasscodeProof;
  longTermChecked: boolean;
  /**
   * The hold of the right guess being served: let go in the serving transaction, which serves only if the
   * hold was still live. If it had lapsed, the guess was compared while another may have been compared on
   * the same attempt: it is not served (N attempts never buy more than N answered compares) but answered
   * 429 and logged `rate-limited`, nothing spent; a right passcode asked again gets in.
   */
  release?: AttemptHold;
}

/**
 * Reads the files and logs the access (one statement), then issues `location` tickets for files longer
 * than the cap, all in one transaction: the log row and the tickets commit together or not at all.
 */
const serveManifest = (deps: LinkDeps, input: ServeManifestInput): Promise<ManifestAnswer | undefined> => {
  const cap = embeddedCap(deps, input.request);
  return deps.db.transaction().execute(async (trx) => {
    // The link first: what follows sees it as it is now, and no change slips in before we commit.
    await lockLinks(trx, [input.linkId]);
    if (input.release !== undefined && !(await releaseLiveHold(trx, input.release))) {
      await recordAccess(trx, {
        linkId: input.linkId,
        at: input.now,
        recipient: input.request.recipient,
        path: 'manifest',
        outcome: 'rate-limited',
      });
      return BUSY;
    }
    const served = await serveActiveLink(trx, {
      linkId: input.linkId,
      now: input.now,
      recipient: input.request.recipient,
      path: 'manifest',
      passcode: input.passcode,
      longTermChecked: input.longTermChecked,
    });
    if (served === undefined) return undefined;
    if (served.files.some((file) => file.jwe.length > cap)) await purgeExpiredTickets(trx, input.now);
    const expiresAt = new Date(input.now.getTime() + deps.settings.locationTtlSeconds * 1000);
    const files: ManifestFile[] = [];
    for (const file of served.files) {
      if (file.jwe.length <= cap) {
        files.push(embeddedEntry(file));
        continue;
      }
      const ticket = await issueTicket(trx, deps.random, {
        linkId: input.linkId,
        fileId: file.id,
        recipient: input.request.recipient,
        expiresAt,
      });
      files.push({
        contentType: file.contentType,
        lastUpdated: file.lastUpdated.toISOString(),
        location: fileLocation(deps.publicBaseUrl(), input.linkId, file.id, ticket),
      });
    }
    return manifestOf(deps, served.flags, files);
  });
};

/** The longest JWE (characters) sent `embedded`: the server's cap, or the receiver's if lower. */
const embeddedCap = (deps: LinkDeps, request: ManifestRequest): number =>
  Math.min(deps.settings.embeddedLengthMax, request.embeddedLengthMax ?? Number.POSITIVE_INFINITY);

/** SHL manifest: `finalized` unless the link has flag L, then `can-change` with the poll wait, if any. */
const manifestOf = (deps: LinkDeps, flags: string, files: ManifestFile[]): ManifestAnswer => {
  if (!flags.includes('L')) return { kind: 'manifest', manifest: { status: 'finalized', files } };
  const interval = deps.settings.pollIntervalSeconds;
  return {
    kind: 'manifest',
    manifest: { status: 'can-change', files },
    ...(interval > 0 ? { retryAfter: interval } : {}),
  };
};
