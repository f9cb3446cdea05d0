import type { ManagementClient, Session } from '@shlkit/api';
import { useState } from 'preact/hooks';
import { describeError } from '../ui/describe-error.js';

export interface SignInPageProps {
  client: ManagementClient;
  notice?: string | undefined;
  onSignedIn(session: Session): void;
}

/** `POST /api/session`: the server sets the http-only session cookie and answers the CSRF token. */
export const SignInPage = ({ client, notice, onSignedIn }: SignInPageProps) => {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await client.signIn({ username, password }));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  return (
    <main class="page narrow">
      <h1>Sign in</h1>
      <p>SMART Health Links administration.</p>
      {notice !== undefined && error === null && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} class="stack">
        <label>
          User name
          <input
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error !== null && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
};
