import type { ResolvedLink } from '@shlkit/client';
import { statusMeaning } from '@shlkit/core';
import type { Messages } from '../i18n/en.js';
import { useMessages } from '../i18n/select-messages.js';

const nameOf = (status: string, t: Messages): string => t.linkState.statusNames[status] ?? status;

/**
 * Said before any content: the sender has withdrawn it (manifest `no-longer-valid`, or a file marked
 * `no-longer-valid`, `entered-in-error` or `retracted` by a server built on the ballot drafts), or a server
 * gave a status this viewer does not know. Nothing when everything is current. The content stays readable
 * below, for the record, but never looks current.
 */
export const StatusWarning = ({ resolved }: { resolved: ResolvedLink }) => {
  const t = useMessages();
  const total = resolved.files.length;
  const manifestWithdrawn = statusMeaning(resolved.status) === 'withdrawn';
  const withdrawnFiles = resolved.files.flatMap((file, index) =>
    file.status !== undefined && statusMeaning(file.status) === 'withdrawn'
      ? [{ n: index + 1, status: file.status }]
      : [],
  );
  const unknown = [
    ...new Set(
      [resolved.status, ...resolved.files.map((file) => file.status)].filter(
        (status): status is string => statusMeaning(status) === 'unknown',
      ),
    ),
  ];
  if (!manifestWithdrawn && withdrawnFiles.length === 0 && unknown.length === 0) return null;
  return (
    <>
      {(manifestWithdrawn || withdrawnFiles.length > 0) && (
        <section
          class="status-warning"
          role="alert"
          data-testid="withdrawn"
          aria-labelledby="withdrawn-heading"
        >
          <h2 id="withdrawn-heading" tabIndex={-1}>
            {t.linkState.withdrawnHeading}
          </h2>
          <p>
            {manifestWithdrawn || withdrawnFiles.length === total
              ? t.linkState.withdrawn
              : t.linkState.withdrawnPart}
          </p>
          {withdrawnFiles.length > 0 && (
            <ul>
              {withdrawnFiles.map(({ n, status }) => (
                <li key={n}>{t.linkState.fileWithdrawn(n, total, nameOf(status, t))}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      {unknown.length > 0 && (
        <section
          class="status-note"
          role="status"
          data-testid="unknown-status"
          aria-labelledby="unknown-heading"
        >
          <h2 id="unknown-heading" tabIndex={-1}>
            {t.linkState.unknownHeading}
          </h2>
          <p>{t.linkState.unknown(unknown.map((status) => `“${status}”`).join(', '))}</p>
        </section>
      )}
    </>
  );
};
