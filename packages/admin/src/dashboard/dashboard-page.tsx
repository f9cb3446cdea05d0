import type { Dashboard } from '@shlkit/api';
import { useEffect, useState } from 'preact/hooks';
import type { PageContext } from '../app/app.js';
import { pathOf } from '../app/routes.js';
import { ACCESS_OUTCOMES } from '../ui/access-outcome.js';
import { describeError } from '../ui/describe-error.js';
import { formatTime } from '../ui/format.js';

// Fetched again this often while the page is open, so that new accesses show without a reload.
const REFRESH_MS = 5000;
const RECENT = 20;

/**
 * The landing page: how many links were created, opened, are locked or expire soon, and the newest
 * accesses across all links (`GET /api/dashboard`). Labels and recipient names are untrusted text:
 * rendered as text nodes only.
 */
export const DashboardPage = ({ context }: { context: PageContext }) => {
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { client, checkSignedIn, navigate } = context;

  useEffect(() => {
    let current = true;
    const load = () =>
      client.getDashboard({ recent: RECENT }).then(
        (answer) => {
          if (!current) return;
          setDashboard(answer);
          setError(null);
        },
        (failure: unknown) => {
          checkSignedIn(failure);
          if (current) setError(describeError(failure));
        },
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [client, checkSignedIn]);

  const counts = dashboard?.counts;
  return (
    <section>
      <div class="title-row">
        <h1>Dashboard</h1>
        <a
          class="button"
          href={pathOf({ page: 'new' })}
          onClick={(event) => {
            event.preventDefault();
            navigate({ page: 'new' });
          }}
        >
          New link
        </a>
      </div>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {dashboard === null && error === null && <p aria-busy="true">Loading…</p>}
      {counts !== undefined && (
        <section aria-labelledby="counts-title">
          <h2 id="counts-title">Links</h2>
          <dl class="tiles">
            <div>
              <dt>Created</dt>
              <dd>
                {counts.created.total}
                <span class="hint"> ({counts.created.last7Days} in the last 7 days)</span>
              </dd>
            </div>
            <div>
              <dt>Opened</dt>
              <dd>{counts.opened}</dd>
            </div>
            <div>
              <dt>Active</dt>
              <dd>{counts.active}</dd>
            </div>
            <div>
              <dt>Expiring within 7 days</dt>
              <dd>{counts.expiringSoon}</dd>
            </div>
            <div>
              <dt>Locked</dt>
              <dd>{counts.locked}</dd>
            </div>
            <div>
              <dt>Used up</dt>
              <dd>{counts.usedUp}</dd>
            </div>
            <div>
              <dt>Expired</dt>
              <dd>{counts.expired}</dd>
            </div>
            <div>
              <dt>Revoked</dt>
              <dd>{counts.revoked}</dd>
            </div>
          </dl>
        </section>
      )}
      {dashboard !== null && (
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">Recent accesses</h2>
          {dashboard.recentAccesses.length === 0 ? (
            <p>No one has opened a link yet.</p>
          ) : (
            <table class="recent">
              <caption class="visually-hidden">The newest accesses across all links</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Link</th>
                  <th scope="col">Recipient</th>
                  <th scope="col">Request</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {dashboard.recentAccesses.map((access) => (
                  <tr key={access.id}>
                    <td data-label="When">{formatTime(access.at)}</td>
                    <td data-label="Link" class="break">
                      <a
                        href={pathOf({ page: 'link', id: access.linkId })}
                        onClick={(event) => {
                          event.preventDefault();
                          navigate({ page: 'link', id: access.linkId });
                        }}
                      >
                        {access.label ?? <em>(no label)</em>}
                      </a>
                    </td>
                    <td data-label="Recipient" class="break">
                      {access.recipient ?? '—'}
                    </td>
                    <td data-label="Request">{access.path}</td>
                    <td data-label="Outcome">{ACCESS_OUTCOMES[access.outcome]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </section>
  );
};
