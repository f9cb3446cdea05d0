import { hasFlag, readExpiry, type ShlPayload } from '@shlkit/core';
import { useMessages } from '../i18n/select-messages.js';

/** What the link itself says, before anything is fetched: label (sender's words), expiry, passcode need. */
export const LinkSummary = ({ payload, now }: { payload: ShlPayload; now: number }) => {
  const t = useMessages();
  const expiry = readExpiry(payload.exp);
  return (
    <div class="link-summary">
      {payload.label ? (
        <figure class="sender-label">
          <figcaption>{t.link.labelCaption}</figcaption>
          {/* SHL: the label is unverified text from whoever made the link; shown as a quotation. */}
          <blockquote data-testid="link-label">{payload.label}</blockquote>
        </figure>
      ) : (
        <p class="muted">{t.link.noLabel}</p>
      )}
      <ul class="link-facts">
        {expiry.kind === 'invalid' ? (
          // `exp` in milliseconds or absurd: no date at all rather than "11/21/58903" or "Invalid Date".
          <li data-testid="link-expiry" class="fact-warning">
            {t.linkState.expiryUnreadable}
          </li>
        ) : (
          <li data-testid="link-expiry">
            {expiry.kind === 'none'
              ? t.link.noExpiry
              : expiry.date.getTime() < now
                ? t.link.expired(expiry.date.toLocaleString(t.lang))
                : t.link.expires(expiry.date.toLocaleString(t.lang))}
          </li>
        )}
        {hasFlag(payload, 'P') && <li data-testid="link-passcode">{t.link.passcodeNeeded}</li>}
        {hasFlag(payload, 'L') && <li>{t.link.longTerm}</li>}
      </ul>
    </div>
  );
};
