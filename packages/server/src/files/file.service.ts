import { recordRefusedAccess } from '../access-log/access-log.repository.js';
import type { AccessPath, Database } from '../db/schema.js';
import type { ClientConnection } from '../http/client-connection.js';
import type { LinkDeps } from '../links/link-deps.js';
import { serveActiveLink } from '../manifests/serve-active-link.js';
import { lockLinks } from '../links/lock-links.js';
import { hashTicket, redeemTicket } from './file-tickets.js';
import { jweBytes } from './jwe-bytes.js';

/** The compact JWE to send, as bytes (files/jwe-bytes.ts), or undefined for the uniform 404. */
export type FileAnswer = { jwe: Buffer } | undefined;

interface FileAccess {
  linkId: string;
  recipient: string | null;
  path: AccessPath;
  fileId?: string | undefined;
}

/**
 * Serves one file when the access rule lets this request in (checked in the statement that reads the
 * file, see access-rule/access-rule.ts), logging `ok` in that statement; anything else is logged as
 * `inactive` (for a link that exists) and answers the uniform 404. So a `location` URL stops working the
 * moment its link is deactivated, deleted, expired or locked, however long its ticket would still live.
 */
const serveFile = async (deps: LinkDeps, access: FileAccess, allowed: boolean): Promise<FileAnswer> => {
  const at = new Date(deps.clock.now());
  const serve = (db: Database) =>
    serveActiveLink(db, {
      ...access,
      now: at,
      // A ticket comes only from a manifest request that passed the passcode; a U link has none.
      passcode: access.path === 'file' ? { kind: 'ticket' } : { kind: 'none' },
      // Only manifest requests count as polling.
      longTermChecked: true,
    });
  // A direct-file answer counts a use: the link first, as it is now (links/lock-links.ts). A `location`
  // GET counts nothing, so it is one statement.
  const served = !allowed
    ? undefined
    : access.path === 'direct'
      ? await deps.db.transaction().execute(async (trx) => {
          await lockLinks(trx, [access.linkId]);
          return serve(trx);
        })
      : await serve(deps.db);
  const [file] = served?.files ?? [];
  if (file !== undefined) return { jwe: jweBytes(file) };
  // Unknown link ids are not logged: there is no owner to show them to.
  await recordRefusedAccess(deps.db, {
    ...access,
    at,
    outcome: 'inactive',
    fileId: access.fileId ?? null,
  });
  return undefined;
};

/** SHL `location` URL: a live ticket for this file of an active link gets the JWE. */
export const answerLocationRequest = async (
  deps: LinkDeps,
  request: { linkId: string; fileId: string; ticket: string },
  client: ClientConnection = {},
): Promise<FileAnswer> => {
  // Served in a batch with the other requests in hand (group-commit/); what the batch leaves (no live
  // ticket, an inactive link) is decided and logged below, one request at a time. A request whose client
  // left before its batch started fails there with SHL_BAD_REQUEST, having done nothing.
  const batched = await deps.batches?.location(
    {
      path: 'file',
      linkId: request.linkId,
      fileId: request.fileId,
      ticketHash: hashTicket(request.ticket),
    },
    client.gone,
  );
  const [file] = batched?.files ?? [];
  if (file !== undefined) return { jwe: jweBytes(file) };
  const granted = await redeemTicket(deps.db, {
    value: request.ticket,
    linkId: request.linkId,
    fileId: request.fileId,
    now: new Date(deps.clock.now()),
  });
  return serveFile(
    deps,
    { linkId: request.linkId, recipient: granted?.recipient ?? null, path: 'file', fileId: request.fileId },
    granted !== undefined,
  );
};

/** SHL direct file (`U` flag): `GET <url>?recipient=` answers the single JWE. */
export const answerDirectRequest = async (
  deps: LinkDeps,
  request: { linkId: string; recipient: string },
  client: ClientConnection = {},
): Promise<FileAnswer> => {
  const batched = await deps.batches?.direct(
    { path: 'direct', linkId: request.linkId, recipient: request.recipient },
    client.gone,
  );
  const [file] = batched?.files ?? [];
  if (file !== undefined) return { jwe: jweBytes(file) };
  return serveFile(deps, { linkId: request.linkId, recipient: request.recipient, path: 'direct' }, true);
};
