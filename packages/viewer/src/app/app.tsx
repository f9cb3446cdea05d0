import { DEFAULT_POLL_INTERVAL_MS, type ResolvedLink } from '@shlkit/client';
import { hasFlag, type ShlPayload, statusMeaning } from '@shlkit/core';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { DocumentsView } from '../documents/documents-view.js';
import { useMessages } from '../i18n/select-messages.js';
import { EmptyLink } from '../link/empty-link.js';
import { ErrorMessage } from '../link/error-message.js';
import { InsecureNotice } from '../link/insecure-notice.js';
import { LinkSummary } from '../link/link-summary.js';
import { type LinkReading, readLink, readLinkFromHash } from '../link/read-link.js';
import type { RecipientStore } from '../link/recipient-store.js';
import { StatusWarning } from '../link/status-warning.js';
import { UnlockForm } from '../link/unlock-form.js';
import { EntryPage } from '../scan/entry-page.js';
import { describeLinkProblem, describeOpenError, type OpenErrorView } from './open-error.js';
import { type OpenRequest, openLink } from './open-link.js';

export interface AppProps {
  initialHash: string;
  recipients: RecipientStore;
  fetch: typeof globalThis.fetch;
  now(): number;
  /** Whether the page has WebCrypto (`crypto.subtle`): only secure contexts (https, localhost) do. */
  webCrypto: boolean;
}

/**
 * `retryAt`: when the server's `Retry-After` allows the next manifest request (epoch ms), if it set one.
 * `nextCheckAt`: when the page asks again by itself, for an `L` link that has no files yet.
 */
type Opened = {
  resolved: ResolvedLink;
  request: OpenRequest;
  retryAt: number | undefined;
  nextCheckAt: number | undefined;
};

/**
 * An `L` link whose manifest has no files and may still change: the sender has not added anything yet.
 * Worth asking again, at the pace a poller would (SHL: honour `Retry-After`, which may make it longer).
 */
const awaitsContent = (resolved: ResolvedLink, payload: ShlPayload): boolean =>
  resolved.files.length === 0 &&
  hasFlag(payload, 'L') &&
  resolved.status !== 'finalized' &&
  statusMeaning(resolved.status) === 'current';

/** The viewer's flow: no link -> entry page; link -> summary and unlock form; opened -> documents. */
export const App = ({ initialHash, recipients, fetch, now, webCrypto }: AppProps) => {
  const t = useMessages();
  const [reading, setReading] = useState<LinkReading>(() => readLinkFromHash(initialHash));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<OpenErrorView | undefined>();
  const [opened, setOpened] = useState<Opened | undefined>();
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    const onHashChange = () => startOver(readLinkFromHash(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const startOver = (next: LinkReading) => {
    setReading(next);
    setOpened(undefined);
    setError(undefined);
    setBusy(false);
  };

  const open = useCallback(
    async (request: OpenRequest) => {
      if (reading.kind !== 'link') return;
      recipients.save(request.recipient);
      setBusy(true);
      setError(undefined);
      try {
        const resolved = await openLink(reading.link, request, fetch);
        const retryAt = resolved.retryAfter === undefined ? undefined : now() + resolved.retryAfter * 1000;
        const nextCheckAt = awaitsContent(resolved, reading.payload)
          ? Math.max(now() + DEFAULT_POLL_INTERVAL_MS, retryAt ?? 0)
          : undefined;
        setOpened({ resolved, request, retryAt, nextCheckAt });
      } catch (cause) {
        setError(describeOpenError(cause, t));
      } finally {
        setBusy(false);
      }
    },
    [reading, recipients, fetch, t, now],
  );

  // SHL: honour `Retry-After`: a refresh asked for too early is answered here, without a request.
  const refresh = (current: Opened) => {
    const wait = current.retryAt === undefined ? 0 : Math.ceil((current.retryAt - now()) / 1000);
    if (wait > 0) {
      setError({ inactive: false, passcode: false, message: t.errors.rateLimited(wait), detail: '' });
      return;
    }
    void open(current.request);
  };

  useEffect(() => {
    // An empty L link is asked again once its time has come; a failed check stops the timer (the error
    // shows, and "Check now" stays), so a broken server is not asked over and over.
    if (opened?.nextCheckAt === undefined || error !== undefined || busy) return;
    const timer = setTimeout(() => void open(opened.request), Math.max(0, opened.nextCheckAt - now()));
    return () => clearTimeout(timer);
  }, [opened, error, busy, open, now]);

  useEffect(() => {
    // Move focus to the new page's heading so keyboard and screen-reader users land on what changed.
    main.current?.querySelector<HTMLElement>('h1, h2')?.focus();
  }, [reading, opened, error?.inactive]);

  let page: preact.ComponentChildren;
  if (reading.kind === 'none') {
    page = (
      <>
        {!webCrypto && <InsecureNotice />}
        <EntryPage onText={(text) => startOver(readPasted(text))} />
      </>
    );
  } else if (reading.kind === 'invalid') {
    page = (
      <>
        <h1 tabIndex={-1}>{t.errors.heading}</h1>
        <ErrorMessage message={describeLinkProblem(reading.code, t)} detail={reading.message} />
        <button type="button" onClick={() => startOver({ kind: 'none' })}>
          {t.link.another}
        </button>
      </>
    );
  } else if (error?.inactive) {
    page = (
      <div class="inactive" data-testid="inactive">
        <h1 tabIndex={-1}>{t.errors.inactiveHeading}</h1>
        <p>{t.errors.inactive}</p>
        <button type="button" onClick={() => startOver({ kind: 'none' })}>
          {t.link.another}
        </button>
      </div>
    );
  } else if (opened && opened.resolved.files.length === 0) {
    const waiting = awaitsContent(opened.resolved, reading.payload);
    page = (
      <>
        <StatusWarning resolved={opened.resolved} />
        <EmptyLink
          nextCheckAt={opened.nextCheckAt}
          checking={busy}
          error={error}
          onCheck={waiting ? () => refresh(opened) : undefined}
        />
      </>
    );
  } else if (opened) {
    page = (
      <>
        {/* Before the content: withdrawn information must never look current. */}
        <StatusWarning resolved={opened.resolved} />
        <DocumentsView
          resolved={opened.resolved}
          refreshing={busy}
          error={error}
          onRefresh={hasFlag(reading.payload, 'L') ? () => refresh(opened) : undefined}
          fetch={fetch}
        />
      </>
    );
  } else if (!webCrypto) {
    // Nothing could be decrypted here: no form, no request (the sharer's log would say `ok` for nothing).
    page = (
      <>
        <h1 tabIndex={-1}>{t.link.heading}</h1>
        <LinkSummary payload={reading.payload} now={now()} />
        <InsecureNotice />
      </>
    );
  } else {
    page = (
      <>
        <h1 tabIndex={-1}>{t.link.heading}</h1>
        <LinkSummary payload={reading.payload} now={now()} />
        <UnlockForm
          needsPasscode={hasFlag(reading.payload, 'P')}
          initialRecipient={recipients.load()}
          busy={busy}
          error={error}
          onSubmit={open}
        />
        <p class="privacy muted">{t.privacyNote}</p>
      </>
    );
  }

  return (
    <>
      <button type="button" class="skip-link" onClick={skipToMain}>
        {t.skipToContent}
      </button>
      <header class="app-header">
        <p class="app-title">{t.appTitle}</p>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {page}
      </main>
    </>
  );
};

const readPasted = (text: string): LinkReading => {
  const reading = readLink(text);
  return reading.kind === 'none'
    ? { kind: 'invalid', code: 'SHL_INVALID_LINK', message: 'the text holds no "shlink:/"' }
    : reading;
};

/** The fragment holds the link: "skip to content" moves focus without touching `location.hash`. */
const skipToMain = () => document.getElementById('main')?.focus();
