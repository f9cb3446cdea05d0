import type { Link, LinkList, LinkSort, LinkStatus, SortOrder } from '@shlkit/api';
import { useEffect, useState } from 'preact/hooks';
import type { PageContext } from '../app/app.js';
import { pathOf } from '../app/routes.js';
import { describeError } from '../ui/describe-error.js';
import { formatExpiry, formatTime, formatUses } from '../ui/format.js';
import { StatusBadge } from '../ui/status-badge.js';

const STATUSES: readonly LinkStatus[] = ['active', 'expired', 'revoked', 'locked', 'used-up'];
const PAGE_SIZE = 25;
const SORTS: readonly { id: string; label: string; sort: LinkSort; order: SortOrder }[] = [
  { id: 'created-desc', label: 'Newest first', sort: 'created', order: 'desc' },
  { id: 'created-asc', label: 'Oldest first', sort: 'created', order: 'asc' },
  { id: 'expires-asc', label: 'Expiring soonest', sort: 'expires', order: 'asc' },
  { id: 'lastAccess-desc', label: 'Recently opened', sort: 'lastAccess', order: 'desc' },
];
const SEARCH_DELAY_MS = 300;

/**
 * The links, one page at a time from the server (`cursor`), searched by label, filtered by status and
 * sorted on the server. Labels are untrusted text: rendered as text nodes only.
 */
export const LinksPage = ({ context }: { context: PageContext }) => {
  const [status, setStatus] = useState<LinkStatus | ''>('');
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [sortId, setSortId] = useState(SORTS[0]?.id ?? '');
  // The cursors of the pages before this one, so that "Previous" needs no server support.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<LinkList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  // The server shows who made each link only to those who see every link (admins, operators).
  const showOwner = page?.links.some((link) => link.owner !== undefined) ?? false;

  // Search as the person types, once they pause.
  useEffect(() => {
    const timer = setTimeout(() => {
      const next = search.trim();
      if (next === query) return;
      setQuery(next);
      setCursors([undefined]);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const sorting = SORTS.find((s) => s.id === sortId) ?? SORTS[0];

  useEffect(() => {
    let current = true;
    setError(null);
    context.client
      .listLinks({
        limit: PAGE_SIZE,
        ...(status === '' ? {} : { status }),
        ...(query === '' ? {} : { q: query }),
        ...(sorting === undefined ? {} : { sort: sorting.sort, order: sorting.order }),
        ...(cursor === undefined ? {} : { cursor }),
      })
      .then(
        (answer) => current && setPage(answer),
        (failure: unknown) => {
          context.checkSignedIn(failure);
          if (current) setError(describeError(failure));
        },
      );
    return () => {
      current = false;
    };
  }, [context.client, status, query, sorting, cursor]);

  const open = (link: Link) => (event: MouseEvent) => {
    event.preventDefault();
    context.navigate({ page: 'link', id: link.id });
  };

  return (
    <section>
      <div class="title-row">
        <h1>Links</h1>
        <a
          class="button"
          href={pathOf({ page: 'new' })}
          onClick={(event) => {
            event.preventDefault();
            context.navigate({ page: 'new' });
          }}
        >
          New link
        </a>
      </div>
      <div class="filters" role="search">
        <label class="grow">
          Search labels
          <input
            type="search"
            name="q"
            maxLength={80}
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </label>
        <label>
          Status
          <select
            name="status"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as LinkStatus | '');
              setCursors([undefined]);
            }}
          >
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort
          <select
            name="sort"
            value={sortId}
            onChange={(e) => {
              setSortId(e.currentTarget.value);
              setCursors([undefined]);
            }}
          >
            {SORTS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {page === null && error === null && <p aria-busy="true">Loading…</p>}
      {page !== null && page.links.length === 0 && (
        <p>{status === '' && query === '' ? 'No links yet.' : 'No links match.'}</p>
      )}
      {page !== null && page.links.length > 0 && (
        <table class="links">
          <caption class="visually-hidden">Links, {sorting?.label.toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Status</th>
              <th scope="col">Expires</th>
              <th scope="col">Uses</th>
              <th scope="col">Last access</th>
              <th scope="col">Created</th>
              {showOwner && <th scope="col">Owner</th>}
            </tr>
          </thead>
          <tbody>
            {page.links.map((link) => (
              <tr key={link.id}>
                <td data-label="Label">
                  <a href={pathOf({ page: 'link', id: link.id })} onClick={open(link)}>
                    {link.label ?? <em>(no label)</em>}
                  </a>
                </td>
                <td data-label="Status">
                  <StatusBadge status={link.status} />
                </td>
                <td data-label="Expires">{formatExpiry(link.expiresAt)}</td>
                <td data-label="Uses">{formatUses(link)}</td>
                <td data-label="Last access">{formatTime(link.lastAccessAt)}</td>
                <td data-label="Created">{formatTime(link.createdAt)}</td>
                {showOwner && (
                  <td data-label="Owner" class="break">
                    {link.owner ?? '—'}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="pager">
        <button
          type="button"
          class="secondary"
          disabled={cursors.length <= 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Previous page
        </button>
        <button
          type="button"
          class="secondary"
          disabled={page?.nextCursor == null}
          onClick={() => page?.nextCursor != null && setCursors([...cursors, page.nextCursor])}
        >
          Next page
        </button>
      </div>
    </section>
  );
};
