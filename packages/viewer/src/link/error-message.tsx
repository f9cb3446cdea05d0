import { useMessages } from '../i18n/select-messages.js';

/**
 * A live region that is always in the page, so screen readers announce a message when it appears
 * (a region inserted together with its text is often not read).
 */
export const ErrorMessage = ({
  message,
  detail,
}: {
  message: string | undefined;
  detail?: string | undefined;
}) => {
  const t = useMessages();
  return (
    <div class="error-region" role="alert" aria-live="assertive" data-testid="error">
      {message && (
        <div class="error">
          <p>{message}</p>
          {detail && (
            <details>
              <summary>{t.errors.details}</summary>
              <code>{detail}</code>
            </details>
          )}
        </div>
      )}
    </div>
  );
};
