import { hasFlag, type ShlPayload } from '@shlkit/core';
import { useMessages } from '../i18n/select-messages.js';

const formatExpiry = (exp: number, lang: string): string => new Date(exp * 1000).toLocaleString(lang);

/** What the link itself says, before anything is fetched: label (sender's words), expiry, passcode need. */
export const LinkSummary = ({ payload, now }: { payload: ShlPayload; now: number }) => {
  const t = useMessages();
  const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
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
        <li data-testid="link-expiry">
          {exp === undefined
            ? t.link.noExpiry
            : exp * 1000 < now
              ? t.link.expired(formatExpiry(exp, t.lang))
              : t.link.expires(formatExpiry(exp, t.lang))}
        </li>
        {hasFlag(payload, 'P') && <li data-testid="link-passcode">{t.link.passcodeNeeded}</li>}
        {hasFlag(payload, 'L') && <li>{t.link.longTerm}</li>}
      </ul>
    </div>
  );
};
