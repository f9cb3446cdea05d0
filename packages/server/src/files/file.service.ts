import { recordAccess } from '../access-log/access-log.repository.js';
import { epochSeconds } from '../clock.js';
import type { LinkDeps } from '../links/link-deps.js';
import { listFiles } from '../links/links.repository.js';
import { findPublicLink, isStillActive } from '../manifests/public-link.repository.js';
import { redeemTicket } from './file-tickets.js';

/** The JWE to send, or undefined for the uniform 404. */
export type FileAnswer = { jwe: string } | undefined;

/** SHL `location` URL: a live ticket for this file of an active link gets the JWE. */
export const answerLocationRequest = async (
  deps: LinkDeps,
  request: { linkId: string; fileId: string; ticket: string },
): Promise<FileAnswer> => {
  const now = new Date(deps.clock.now());
  const nowSeconds = epochSeconds(deps.clock);
  const link = await findPublicLink(deps.db, request.linkId, nowSeconds);
  if (link === undefined) return undefined;
  return deps.db.transaction().execute(async (trx) => {
    const granted = await redeemTicket(trx, {
      value: request.ticket,
      linkId: request.linkId,
      fileId: request.fileId,
      now,
    });
    const file =
      granted !== undefined && (await isStillActive(trx, request.linkId, nowSeconds))
        ? (await listFiles(trx, request.linkId)).find((candidate) => candidate.id === request.fileId)
        : undefined;
    await recordAccess(trx, {
      linkId: request.linkId,
      at: now,
      recipient: granted?.recipient ?? null,
      path: 'file',
      outcome: file === undefined ? 'inactive' : 'ok',
      fileId: request.fileId,
    });
    return file === undefined ? undefined : { jwe: file.jwe };
  });
};

/** SHL direct file (`U` flag): `GET <url>?recipient=` answers the single JWE. */
export const answerDirectRequest = async (
  deps: LinkDeps,
  request: { linkId: string; recipient: string },
): Promise<FileAnswer> => {
  const now = new Date(deps.clock.now());
  const nowSeconds = epochSeconds(deps.clock);
  const link = await findPublicLink(deps.db, request.linkId, nowSeconds);
  if (link === undefined) return undefined;
  return deps.db.transaction().execute(async (trx) => {
    const file =
      link.flags.includes('U') && (await isStillActive(trx, request.linkId, nowSeconds))
        ? (await listFiles(trx, request.linkId))[0]
        : undefined;
    await recordAccess(trx, {
      linkId: request.linkId,
      at: now,
      recipient: request.recipient,
      path: 'direct',
      outcome: file === undefined ? 'inactive' : 'ok',
      fileId: file?.id ?? null,
    });
    return file === undefined ? undefined : { jwe: file.jwe };
  });
};
