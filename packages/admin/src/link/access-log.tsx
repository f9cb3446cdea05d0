import type { Access, ManagementClient } from '@shlkit/api';
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../ui/describe-error.js';
import { ACCESS_OUTCOMES } from '../ui/access-outcome.js';
import { formatTime } from '../ui/format.js';

// Without EventSource (or when the stream is refused), the log is fetched again this often.
const REFRESH_MS = 5000;
const SHOWN = 50;

export interface AccessLogProps {
  client: ManagementClient;
  linkId: string;
  onError(error: unknown): void;
  /** Called for each access that arrives live, so that the page can refresh the link's counts. */
  onAccess(): void;
}

/** Newest first, each access once. */
const merge = (incoming: Access[], known: Access[]): Access[] => {
  const seen = new Set(known.map((a) => a.id));
  return [...incoming.filter((a) => !seen.has(a.id)), ...known].slice(0, SHOWN);
};

/**
 * A link's access log, newest first: the first page, then live from the server's event stream
 * (`GET /api/links/{id}/accesses/stream`, which sends the session cookie by itself) after the newest access
 * shown, so nothing falls between the two. Recipient names are what receivers typed: untrusted, shown as
 * text only.
 */
export const AccessLog = ({ client, linkId, onError, onAccess }: AccessLogProps) => {
  const [accesses, setAccesses] = useState<Access[] | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setInterval> | null = null;
    const load = () =>
      client.listAccesses(linkId, { limit: SHOWN }).then(
        (list) => {
          if (!current) return undefined;
          setAccesses((known) => merge(list.accesses, known ?? []));
          setError(null);
          return list.accesses[0]?.id;
        },
        (failure: unknown) => {
          onError(failure);
          if (current) setError(describeError(failure));
          return undefined;
        },
      );
    const poll = () => {
      timer ??= setInterval(() => void load(), REFRESH_MS);
    };
    void load().then((newest) => {
      if (!current) return;
      if (typeof EventSource !== 'function') return poll();
      source = new EventSource(client.accessStreamUrl(linkId, newest === undefined ? {} : { after: newest }));
      source.addEventListener('open', () => setLive(true));
      source.addEventListener('access', (event) => {
        const access = JSON.parse((event as MessageEvent<string>).data) as Access;
        setAccesses((known) => merge([access], known ?? []));
        onAccess();
      });
      source.addEventListener('error', () => {
        // The browser reconnects by itself (with Last-Event-ID); once it gives up, fall back to polling.
        setLive(false);
        if (source?.readyState === EventSource.CLOSED) poll();
      });
    });
    return () => {
      current = false;
      source?.close();
      if (timer !== null) clearInterval(timer);
    };
  }, [client, linkId, onError, onAccess]);

  return (
    <section class="no-print" aria-labelledby="access-log-title">
      <h2 id="access-log-title">Access log</h2>
      <p class="hint" role="status">
        {live ? 'Live: new accesses appear as they happen.' : 'Refreshed every few seconds.'}
      </p>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {accesses === null && error === null && <p aria-busy="true">Loading…</p>}
      {accesses !== null && accesses.length === 0 && <p>No one has opened this link yet.</p>}
      {accesses !== null && accesses.length > 0 && (
        <table class="accesses">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Recipient</th>
              <th scope="col">Request</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {accesses.map((access) => (
              <tr key={access.id}>
                <td data-label="When">{formatTime(access.at)}</td>
                <td data-label="Recipient">{access.recipient ?? '—'}</td>
                <td data-label="Request">{access.path}</td>
                <td data-label="Outcome">{ACCESS_OUTCOMES[access.outcome]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
