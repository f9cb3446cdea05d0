import type { Link, UpdateLinkBody } from '@shlkit/api';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PageContext } from '../app/app.js';
import { describeError } from '../ui/describe-error.js';
import { describeFlags, explainStatus, formatExpiry, formatTime, formatUses } from '../ui/format.js';
import { StatusBadge } from '../ui/status-badge.js';
import { AccessLog } from './access-log.js';
import { LinkSettings } from './link-settings.js';
import { QrCard } from './qr-card.js';
import { RefetchContent } from './refetch-content.js';
import { ReplaceContent } from './replace-content.js';

export interface LinkPageProps {
  context: PageContext;
  id: string;
  /** Just created here: say so above the QR code. */
  created: boolean;
  newPasscode?: string | undefined;
  /** The link's own bearer token, from its creation: shown this once. */
  managementToken?: string | undefined;
}

/** One link: its QR card, status and why, settings and actions, and its access log. */
export const LinkPage = ({ context, id, created, newPasscode, managementToken }: LinkPageProps) => {
  const [link, setLink] = useState<Link | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { client, checkSignedIn } = context;

  useEffect(() => {
    client.getLink(id).then(setLink, (failure: unknown) => {
      checkSignedIn(failure);
      setError(describeError(failure));
    });
  }, [client, id, checkSignedIn]);

  const act = async (action: () => Promise<Link | undefined>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setLink((await action()) ?? (await client.getLink(id)));
    } catch (failure) {
      checkSignedIn(failure);
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  const update = (body: UpdateLinkBody) => act(() => client.updateLink(id, body));
  // A live access may change uses, attempts left and the status (used-up, locked).
  const refresh = useCallback(() => {
    client.getLink(id).then(setLink, checkSignedIn);
  }, [client, id, checkSignedIn]);

  if (link === null) {
    return error !== null ? (
      <section>
        <h1>Link</h1>
        <p class="error" role="alert">
          {error}
        </p>
      </section>
    ) : (
      <p aria-busy="true">Loading…</p>
    );
  }
  const revoked = link.revokedAt !== null;
  return (
    <section>
      <h1 class="break">{link.label ?? 'Link without a label'}</h1>
      {created && (
        <p class="notice no-print" role="status">
          The link is ready. Share the QR code or the link
          {newPasscode !== undefined ? ', and give the passcode separately' : ''}.
        </p>
      )}
      {newPasscode !== undefined && (
        <p class="notice no-print">
          Passcode: <strong class="mono">{newPasscode}</strong> (shown only now)
        </p>
      )}
      {managementToken !== undefined && (
        <details class="notice no-print">
          <summary>Management token for a patient app (shown only now)</summary>
          <p>
            A bearer token for this one link: it reads its access log, changes and revokes it, and nothing
            else. Give it only to the app that manages this link for the patient.
          </p>
          <p class="mono break">{managementToken}</p>
        </details>
      )}
      {!revoked && <QrCard client={client} link={link} passcode={newPasscode} />}

      <section class="no-print" aria-labelledby="status-title">
        <h2 id="status-title">Status</h2>
        <p>
          <StatusBadge status={link.status} /> {explainStatus(link)}
        </p>
        <dl class="facts">
          <dt>Flags</dt>
          <dd>{describeFlags(link)}</dd>
          <dt>Expires</dt>
          <dd>{formatExpiry(link.expiresAt)}</dd>
          <dt>Passcode attempts left</dt>
          <dd>
            {link.passcode
              ? `${link.remainingAttempts ?? '—'} of ${link.passcodeAttempts ?? '—'}`
              : 'no passcode'}
          </dd>
          <dt>Uses</dt>
          <dd>{formatUses(link)}</dd>
          <dt>Accesses logged</dt>
          <dd>{link.accessCount}</dd>
          <dt>Last access</dt>
          <dd>{formatTime(link.lastAccessAt)}</dd>
          <dt>Created</dt>
          <dd>{formatTime(link.createdAt)}</dd>
          {link.owner !== undefined && (
            <>
              <dt>Owner</dt>
              <dd class="break">{link.owner ?? '— (made before owners were recorded)'}</dd>
            </>
          )}
        </dl>
        {error !== null && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {notice !== null && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        {!revoked && (
          <div class="actions">
            {link.deactivatedAt === null ? (
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => void update({ active: false })}
              >
                Deactivate
              </button>
            ) : (
              <button type="button" disabled={busy} onClick={() => void update({ active: true })}>
                Reactivate
              </button>
            )}
            {link.passcode && (
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => void update({ rearm: true })}
              >
                Re-arm attempts
              </button>
            )}
            {confirmRevoke ? (
              <>
                <button
                  type="button"
                  class="danger"
                  disabled={busy}
                  onClick={() => void act(() => client.deleteLink(id).then(() => undefined))}
                >
                  Revoke for good
                </button>
                <button type="button" class="secondary" onClick={() => setConfirmRevoke(false)}>
                  Keep it
                </button>
              </>
            ) : (
              <button type="button" class="danger" onClick={() => setConfirmRevoke(true)}>
                Revoke…
              </button>
            )}
          </div>
        )}
      </section>
      {!revoked && (
        <LinkSettings link={link} busy={busy} now={context.now} onSave={(body) => void update(body)} />
      )}
      {!revoked && (
        <ReplaceContent
          link={link}
          busy={busy}
          onReplace={(file) =>
            void act(async () => {
              const replaced = await client.replaceLinkFiles(id, { files: [file] });
              setNotice('The content is replaced: the same link now gives the new file.');
              return replaced;
            })
          }
        />
      )}
      {!revoked && (
        <RefetchContent
          link={link}
          busy={busy}
          onRefetch={(patientId) =>
            void act(async () => {
              const replaced = await client.replaceLinkContentFromFhir(id, { patientId });
              setNotice(
                'The content is fetched again from the FHIR server: the same link now gives the new summary.',
              );
              return replaced;
            })
          }
        />
      )}
      <AccessLog client={client} linkId={id} onError={checkSignedIn} onAccess={refresh} />
    </section>
  );
};
