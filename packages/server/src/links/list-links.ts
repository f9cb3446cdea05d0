import { ServerError } from '../errors.js';
import type { LinkStatus } from '../access-rule/access-rule.js';
import type { LinkDeps } from './link-deps.js';
import { type LinkView, toLinkView } from './link-view.js';
import { type LinkSort, type ListPosition, listLinks, type SortOrder } from './links.repository.js';

/** A page of links as the list route asks for it: filters, sort, page size, and the previous page's cursor. */
export interface ListInput {
  status?: LinkStatus | undefined;
  q?: string | undefined;
  /** Only this owner's links (owners/link-reach.ts `listOwnerFilter`). */
  owner?: string | undefined;
  sort?: LinkSort | undefined;
  order?: SortOrder | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/**
 * A cursor names the sort, the order and where the page ended, base64url-encoded: opaque to callers, and
 * refused under another sort or order, where its position would mean something else.
 */
const encodeCursor = (sort: LinkSort, order: SortOrder, position: ListPosition): string =>
  Buffer.from(JSON.stringify([sort, order, position.key, position.tie])).toString('base64url');

const decodeCursor = (cursor: string, sort: LinkSort, order: SortOrder): ListPosition => {
  const refuse = (): never => {
    throw new ServerError(
      'SHL_INVALID_CURSOR',
      'cursor must come from a previous nextCursor of the same sort and order',
      { field: 'cursor' },
    );
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return refuse();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return refuse();
  const [s, o, key, tie] = parsed as unknown[];
  if (s !== sort || o !== order || typeof key !== 'number' || !Number.isSafeInteger(key)) return refuse();
  const tieOk =
    sort === 'lastAccess'
      ? typeof tie === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(tie)
      : typeof tie === 'number' && Number.isSafeInteger(tie);
  if (!tieOk) return refuse();
  return { key, tie: tie as number | string };
};

/** One page of links in the order asked (default: newest first); `nextCursor` is set when there may be more. */
export const listLinkViews = async (
  deps: LinkDeps,
  input: ListInput,
): Promise<{ links: LinkView[]; nextCursor: string | null }> => {
  const limit = input.limit ?? 50;
  const sort = input.sort ?? 'created';
  const order = input.order ?? 'desc';
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor, sort, order);
  const links = await listLinks(deps.db, {
    status: input.status,
    q: input.q,
    owner: input.owner,
    sort,
    order,
    limit,
    after,
    now: new Date(deps.clock.now()),
  });
  const last = links.at(-1);
  return {
    links: links.map((link) => toLinkView(link, { publicBaseUrl: deps.publicBaseUrl(), keys: deps.keys })),
    nextCursor:
      links.length === limit && last !== undefined ? encodeCursor(sort, order, last.position) : null,
  };
};
