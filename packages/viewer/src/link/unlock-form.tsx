import { useEffect, useRef, useState } from 'preact/hooks';
import type { OpenErrorView } from '../app/open-error.js';
import { useMessages } from '../i18n/select-messages.js';
import { ErrorMessage } from './error-message.js';

export interface UnlockFormProps {
  needsPasscode: boolean;
  initialRecipient: string;
  busy: boolean;
  error: OpenErrorView | undefined;
  onSubmit(values: { recipient: string; passcode?: string }): void;
}

/** Asks who is opening the link (SHL: `recipient` is required) and, for `P` links, the passcode. */
export const UnlockForm = ({ needsPasscode, initialRecipient, busy, error, onSubmit }: UnlockFormProps) => {
  const t = useMessages();
  const [recipient, setRecipient] = useState(initialRecipient);
  const [passcode, setPasscode] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const recipientInput = useRef<HTMLInputElement>(null);
  const passcodeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // A wrong passcode empties the field and puts the cursor back there; nothing is retried by itself.
    if (error?.passcode) {
      setPasscode('');
      passcodeInput.current?.focus();
    }
  }, [error]);

  const submit = (event: Event) => {
    event.preventDefault();
    const name = recipient.trim();
    if (name === '') {
      setProblem(t.errors.recipientRequired);
      recipientInput.current?.focus();
      return;
    }
    if (needsPasscode && passcode === '') {
      setProblem(t.errors.passcodeRequired);
      passcodeInput.current?.focus();
      return;
    }
    setProblem(undefined);
    onSubmit(needsPasscode ? { recipient: name, passcode } : { recipient: name });
  };

  const shown = problem ?? error?.message;
  return (
    <form class="unlock-form" onSubmit={submit} noValidate aria-busy={busy}>
      <div class="field">
        <label for="recipient">{t.link.recipientLabel}</label>
        <input
          id="recipient"
          name="recipient"
          ref={recipientInput}
          autoComplete="name"
          required
          aria-describedby="recipient-hint"
          value={recipient}
          onInput={(e) => setRecipient((e.target as HTMLInputElement).value)}
        />
        <p id="recipient-hint" class="hint">
          {t.link.recipientHint}
        </p>
      </div>
      {needsPasscode && (
        <div class="field">
          <label for="passcode">{t.link.passcodeLabel}</label>
          <input
            id="passcode"
            name="passcode"
            type="password"
            ref={passcodeInput}
            autoComplete="off"
            required
            aria-describedby="passcode-hint"
            aria-invalid={error?.passcode ? true : undefined}
            value={passcode}
            onInput={(e) => setPasscode((e.target as HTMLInputElement).value)}
          />
          <p id="passcode-hint" class="hint">
            {t.link.passcodeHint}
          </p>
        </div>
      )}
      <ErrorMessage message={shown} detail={problem ? undefined : error?.detail} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t.link.opening : t.link.submit}
      </button>
    </form>
  );
};
