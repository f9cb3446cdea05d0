import type { AuditList } from '@shlkit/api';
import { useEffect, useState } from 'preact/hooks';
import type { PageContext } from '../app/app.js';
import { describeError } from '../ui/describe-error.js';
import { formatTime } from '../ui/format.js';

const ACTIONS = [
  'session.signed-in',
  'session.signed-out',
  'session.sign-in-failed',
  'link.created',
  'link.changed',
  'link.revoked',
  'link.content-replaced',
  'key.created',
  'key.revoked',
  'user.created',
  'user.changed',
  'user.deleted',
];

/** The audit trail, newest first, filtered by actor and action on the server; every value as text. */
export const AuditPage = ({ context }: { context: PageContext }) => {
  const { client, checkSignedIn } = context;
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [filters, setFilters] = useState({ actor: '', action: '' });
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<AuditList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let current = true;
    client
      .listAudit({
        limit: 50,
        ...(filters.actor === '' ? {} : { actor: filters.actor }),
        ...(filters.action === '' ? {} : { action: filters.action }),
        ...(cursor === undefined ? {} : { cursor }),
      })
      .then(
        (answer) => {
          if (!current) return;
          setPage(answer);
          setError(null);
        },
        (failure: unknown) => {
          checkSignedIn(failure);
          if (current) setError(describeError(failure));
        },
      );
    return () => {
      current = false;
    };
  }, [client, checkSignedIn, filters, cursor]);

  return (
    <section>
      <h1>Audit log</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ actor: actor.trim(), action });
          setCursors([undefined]);
        }}
      >
        <label class="grow">
          Actor
          <input name="actor" value={actor} onInput={(e) => setActor(e.currentTarget.value)} />
        </label>
        <label>
          Action
          <select name="action" value={action} onChange={(e) => setAction(e.currentTarget.value)}>
            <option value="">Any</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {page !== null && page.events.length === 0 && <p>No events.</p>}
      {page !== null && page.events.length > 0 && (
        <table class="audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {page.events.map((event, index) => (
              <tr key={`${event.at}-${index}`}>
                <td data-label="When">{formatTime(event.at)}</td>
                <td data-label="Actor">{event.actor}</td>
                <td data-label="Action">{event.action}</td>
                <td data-label="Details" class="mono">
                  {[
                    event.linkId === undefined ? '' : `link ${event.linkId.slice(0, 8)}…`,
                    JSON.stringify(event.details),
                  ]
                    .filter((part) => part !== '' && part !== '{}')
                    .join(' ')}
                </td>
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
