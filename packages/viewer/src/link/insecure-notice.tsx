import { useMessages } from '../i18n/select-messages.js';

/**
 * Browsers give WebCrypto (`crypto.subtle`) only to secure contexts. A phone that opens the viewer at
 * `http://192.168.1.20:3000/view` could fetch the manifest (the sharer's log says `ok`) but never decrypt
 * it: say so up front, and fetch nothing.
 */
export const InsecureNotice = () => {
  const t = useMessages();
  return (
    <section
      class="status-warning"
      role="alert"
      data-testid="insecure-context"
      aria-labelledby="insecure-heading"
    >
      <h2 id="insecure-heading" tabIndex={-1}>
        {t.linkState.insecureHeading}
      </h2>
      <p>{t.linkState.insecure}</p>
    </section>
  );
};
