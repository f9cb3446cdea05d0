import type { Link, UpdateLinkBody } from '@shlkit/api';
import { useState } from 'preact/hooks';
import { generatePasscode } from '../create/generate-passcode.js';

export interface LinkSettingsProps {
  link: Link;
  busy: boolean;
  now: () => number;
  onSave(body: UpdateLinkBody): void;
}

const dateInputOf = (expiresAt: number | null): string => {
  if (expiresAt === null) return '';
  const date = new Date(expiresAt * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

/** The end of a `YYYY-MM-DD` day, local time, in epoch seconds. */
const endOfDay = (value: string): number | null => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  return Math.floor(
    new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59).getTime() / 1000,
  );
};

/** `PATCH /api/links/{id}`: label, expiry, passcode and use limit, each saved on its own. */
export const LinkSettings = ({ link, busy, now, onSave }: LinkSettingsProps) => {
  const [label, setLabel] = useState(link.label ?? '');
  const [expiry, setExpiry] = useState(dateInputOf(link.expiresAt));
  const [passcode, setPasscode] = useState('');
  const [maxUses, setMaxUses] = useState(link.maxUses === null ? '' : String(link.maxUses));
  const expiresAt = endOfDay(expiry);
  const expiryInPast = expiresAt !== null && expiresAt * 1000 <= now();

  return (
    <section class="no-print" aria-labelledby="settings-title">
      <h2 id="settings-title">Change</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          onSave({ label: label.trim() === '' ? null : label.trim() });
        }}
      >
        <label class="grow">
          Label
          <input name="label" maxLength={80} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary" disabled={busy}>
          Save label
        </button>
      </form>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          onSave({ expiresAt });
        }}
      >
        <label class="grow">
          Expiry date <span class="hint">(empty: never)</span>
          <input type="date" name="expiry" value={expiry} onInput={(e) => setExpiry(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary" disabled={busy || expiryInPast}>
          Save expiry
        </button>
      </form>
      {!link.direct && (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            onSave({ passcode: passcode === '' ? null : passcode });
          }}
        >
          <label class="grow">
            New passcode <span class="hint">(empty: remove it)</span>
            <input
              name="newPasscode"
              autocomplete="off"
              value={passcode}
              onInput={(e) => setPasscode(e.currentTarget.value)}
            />
          </label>
          <button type="button" class="secondary" onClick={() => setPasscode(generatePasscode())}>
            Generate
          </button>
          <button type="submit" class="secondary" disabled={busy}>
            Save passcode
          </button>
        </form>
      )}
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          onSave({ maxUses: maxUses === '' ? null : Number(maxUses) });
        }}
      >
        <label class="grow">
          Use limit <span class="hint">(empty: none)</span>
          <input
            name="maxUses"
            type="number"
            min={1}
            max={1000000}
            value={maxUses}
            onInput={(e) => setMaxUses(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="secondary" disabled={busy}>
          Save use limit
        </button>
      </form>
    </section>
  );
};
