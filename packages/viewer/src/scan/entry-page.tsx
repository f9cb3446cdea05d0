import { useState } from 'preact/hooks';
import { useMessages } from '../i18n/select-messages.js';
import { CameraScanner } from './camera-scanner.js';

/** No link in the address: paste one, or scan its QR code with this device's camera. */
export const EntryPage = ({ onText }: { onText(text: string): void }) => {
  const t = useMessages();
  const [text, setText] = useState('');
  const [scanning, setScanning] = useState(false);
  return (
    <>
      <h1 tabIndex={-1}>{t.entry.heading}</h1>
      <p>{t.entry.intro}</p>
      <form
        class="paste-form"
        onSubmit={(event) => {
          event.preventDefault();
          onText(text);
        }}
      >
        <div class="field">
          <label for="link-text">{t.entry.pasteLabel}</label>
          <textarea
            id="link-text"
            rows={3}
            aria-describedby="link-text-hint"
            value={text}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          />
          <p id="link-text-hint" class="hint">
            {t.entry.pasteHint}
          </p>
        </div>
        <button type="submit" class="primary">
          {t.entry.open}
        </button>
      </form>
      {scanning ? (
        <CameraScanner onText={onText} onClose={() => setScanning(false)} />
      ) : (
        <button type="button" onClick={() => setScanning(true)}>
          {t.entry.scan}
        </button>
      )}
      <p class="privacy muted">{t.privacyNote}</p>
    </>
  );
};
