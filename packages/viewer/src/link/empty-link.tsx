import type { OpenErrorView } from '../app/open-error.js';
import { useMessages } from '../i18n/select-messages.js';
import { ErrorMessage } from './error-message.js';

export interface EmptyLinkProps {
  /** When the page asks the server again (epoch ms); undefined when the link cannot gain content. */
  nextCheckAt: number | undefined;
  checking: boolean;
  error: OpenErrorView | undefined;
  /** Ask now (a person's click); absent when the link cannot gain content. */
  onCheck: (() => void) | undefined;
}

/**
 * A manifest with no files. An `L` link that can still change (`{"status":"can-change","files":[]}`) is one
 * the sender has not filled yet: say so, and when this page will ask again, instead of an empty page.
 */
export const EmptyLink = ({ nextCheckAt, checking, error, onCheck }: EmptyLinkProps) => {
  const t = useMessages();
  return (
    <div class="empty-link" data-testid="empty-link">
      <h1 tabIndex={-1}>{t.linkState.emptyHeading}</h1>
      <p>{onCheck ? t.linkState.emptyWaiting : t.linkState.emptyFinal}</p>
      {nextCheckAt !== undefined && !checking && (
        <p data-testid="next-check">
          {t.linkState.nextCheck(new Date(nextCheckAt).toLocaleTimeString(t.lang))}
        </p>
      )}
      <ErrorMessage message={error?.message} detail={error?.detail} />
      {onCheck && (
        <button type="button" onClick={onCheck} disabled={checking} data-testid="check-now">
          {checking ? t.linkState.checking : t.linkState.checkNow}
        </button>
      )}
    </div>
  );
};
