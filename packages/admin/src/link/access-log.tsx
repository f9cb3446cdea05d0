import type { Access, ManagementClient } from '@shlkit/api';
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../ui/describe-error.js';
import { formatTime } from '../ui/format.js';

const REFRESH_MS = 5000;

const OUTCOMES: Record<Access['outcome'], string> = {
  ok: 'served',
  'wrong-passcode': 'wrong passcode',
  'passcode-required': 'no passcode given',
  inactive: 'refused (link not active)',
  'rate-limited': 'refused (too many requests)',
  'wrong-method': 'refused (wrong method)',
};

/**
 * A link's access log, newest first, refreshed every few seconds while the page is open. Recipient
 * names are what receivers typed: untrusted, shown as text only.
 */
export const AccessLog = ({
  client,
  linkId,
  onError,
}: {
  client: ManagementClient;
  linkId: string;
  onError(error: unknown): void;
}) => {
  const [accesses, setAccesses] = useState<Access[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const load = () =>
      client.listAccesses(linkId, { limit: 50 }).then(
        (list) => {
          if (!current) return;
          setAccesses(list.accesses);
          setError(null);
        },
        (failure: unknown) => {
          onError(failure);
          if (current) setError(describeError(failure));
        },
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [client, linkId, onError]);

  return (
    <section class="no-print" aria-labelledby="access-log-title">
      <h2 id="access-log-title">Access log</h2>
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
                <td data-label="Outcome">{OUTCOMES[access.outcome]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
