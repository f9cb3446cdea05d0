import type { ResolvedLink } from '@shlkit/client';
import { hasFlag } from '@shlkit/core';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { DocumentsView } from '../documents/documents-view.js';
import { useMessages } from '../i18n/select-messages.js';
import { ErrorMessage } from '../link/error-message.js';
import { LinkSummary } from '../link/link-summary.js';
import { type LinkReading, readLink, readLinkFromHash } from '../link/read-link.js';
import type { RecipientStore } from '../link/recipient-store.js';
import { UnlockForm } from '../link/unlock-form.js';
import { EntryPage } from '../scan/entry-page.js';
import { describeLinkProblem, describeOpenError, type OpenErrorView } from './open-error.js';
import { type OpenRequest, openLink } from './open-link.js';

export interface AppProps {
  initialHash: string;
  recipients: RecipientStore;
  fetch: typeof globalThis.fetch;
  now(): number;
}

/** `retryAt`: when the server's `Retry-After` allows the next manifest request (epoch ms), if it set one. */
type Opened = { resolved: ResolvedLink; request: OpenRequest; retryAt: number | undefined };

/** The viewer's flow: no link -> entry page; link -> summary and unlock form; opened -> documents. */
export const App = ({ initialHash, recipients, fetch, now }: AppProps) => {
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
        setOpened({ resolved, request, retryAt });
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
    // Move focus to the new page's heading so keyboard and screen-reader users land on what changed.
    main.current?.querySelector<HTMLElement>('h1, h2')?.focus();
  }, [reading, opened, error?.inactive]);

  let page: preact.ComponentChildren;
  if (reading.kind === 'none') {
    page = <EntryPage onText={(text) => startOver(readPasted(text))} />;
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
  } else if (opened) {
    page = (
      <DocumentsView
        resolved={opened.resolved}
        refreshing={busy}
        error={error}
        onRefresh={hasFlag(reading.payload, 'L') ? () => refresh(opened) : undefined}
        fetch={fetch}
      />
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
