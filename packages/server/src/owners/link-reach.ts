import type { ApiKeyScope } from '@shlkit/api';
import type { FastifyRequest } from 'fastify';
import { type Principal, principalOf } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';

/**
 * Which links a principal reaches (issue 14), decided here and nowhere else:
 * - `every`: all links (scope `admin`, `links:manage`; for reading also `links:read`);
 * - `owned`: the links whose `owner` is this actor (scope `links:create`: identity-provider tokens and
 *   `links:create` keys);
 * - `one`: one link (a management token);
 * - `none`: no link for this action (403 `SHL_FORBIDDEN`).
 */
export type LinkReach =
  { kind: 'every' } | { kind: 'owned'; owner: string } | { kind: 'one'; linkId: string } | { kind: 'none' };

/**
 * What is done to a link: `read` (get, access log, live stream, QR), `change` (PATCH, DELETE) or
 * `replace-content` (PUT files, which a management token may not do: the issue gives it GET, PATCH,
 * DELETE, accesses and QR only).
 */
export type LinkAction = 'read' | 'change' | 'replace-content';

const hasAny = (scopes: ReadonlySet<ApiKeyScope>, wanted: readonly ApiKeyScope[]): boolean =>
  wanted.some((scope) => scopes.has(scope));

/** The links `principal` may act on with `action`. */
export const linkReach = (principal: Principal, action: LinkAction): LinkReach => {
  if (principal.kind === 'management-token') {
    return action === 'replace-content' ? { kind: 'none' } : { kind: 'one', linkId: principal.linkId };
  }
  const every: readonly ApiKeyScope[] =
    action === 'read' ? ['admin', 'links:manage', 'links:read'] : ['admin', 'links:manage'];
  if (hasAny(principal.scopes, every)) return { kind: 'every' };
  if (principal.scopes.has('links:create')) return { kind: 'owned', owner: principal.actor };
  return { kind: 'none' };
};

/** True when the principal may create links (and so own them). */
export const mayCreateLinks = (principal: Principal): boolean =>
  principal.kind !== 'management-token' &&
  hasAny(principal.scopes, ['admin', 'links:manage', 'links:create']);

/** True when the principal reads every link: it is shown their `owner`. */
export const seesEveryLink = (principal: Principal): boolean => linkReach(principal, 'read').kind === 'every';

const forbidden = (principal: Principal): ServerError =>
  new ServerError(
    'SHL_FORBIDDEN',
    principal.kind === 'management-token'
      ? 'a management token reads, changes and revokes its own link only (GET, PATCH, DELETE, accesses, QR)'
      : "this is beyond this credential's scopes",
  );

/**
 * @throws {ServerError} `SHL_FORBIDDEN` (403) unless the principal may create links
 */
export const requireCreate = (principal: Principal): void => {
  if (!mayCreateLinks(principal)) throw forbidden(principal);
};

/**
 * The owner filter of `GET /api/links`: undefined for every link, or the one owner whose links are listed.
 * @throws {ServerError} `SHL_FORBIDDEN` (403) for a principal that may not list (a management token)
 */
export const listOwnerFilter = (principal: Principal): string | undefined => {
  const reach = linkReach(principal, 'read');
  if (reach.kind === 'every') return undefined;
  if (reach.kind === 'owned') return reach.owner;
  throw forbidden(principal);
};

/**
 * Checks that `principal` may do `action` to link `linkId`. Someone else's link answers exactly as a link
 * that does not exist (404 `SHL_NOT_FOUND`), so that its existence is not given away.
 * @throws {ServerError} `SHL_FORBIDDEN` (403) when the principal may do this to no link at all;
 *   `SHL_NOT_FOUND` (404) when the link is not one it reaches
 */
export const requireLinkReach = async (
  db: Database,
  principal: Principal,
  linkId: string,
  action: LinkAction,
): Promise<void> => {
  const reach = linkReach(principal, action);
  const notFound = () => new ServerError('SHL_NOT_FOUND', 'no link with this id');
  switch (reach.kind) {
    case 'every':
      return;
    case 'none':
      throw forbidden(principal);
    case 'one':
      if (reach.linkId !== linkId) throw notFound();
      return;
    case 'owned': {
      const row = await db
        .selectFrom('shl_links')
        .select('owner')
        .where('id', '=', linkId)
        .executeTakeFirst();
      if (row === undefined || row.owner !== reach.owner) throw notFound();
      return;
    }
  }
};

/**
 * A preHandler for routes with `:id`: the link must be within the principal's reach for `action` (runs
 * after the params passed their schema).
 */
export const linkReachHook =
  (db: Database, action: LinkAction) =>
  async (request: FastifyRequest): Promise<void> => {
    const { id } = request.params as { id: string };
    await requireLinkReach(db, principalOf(request), id, action);
  };

/** A link view as this principal may see it: `owner` only for those who read every link. */
export const presentLink = <V extends { owner?: string | null | undefined }>(
  principal: Principal,
  view: V,
): V => {
  if (seesEveryLink(principal)) return view;
  const { owner: _owner, ...rest } = view;
  return rest as V;
};
