import type { ApiKey, CreatedApiKey } from '@shlkit/api';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PageContext } from '../app/app.js';
import { describeError } from '../ui/describe-error.js';
import { formatTime } from '../ui/format.js';

/** API keys (admin only): created (the secret shown once), listed, revoked. */
export const ApiKeysPage = ({ context }: { context: PageContext }) => {
  const { client, checkSignedIn } = context;
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fail = useCallback(
    (failure: unknown) => {
      checkSignedIn(failure);
      setError(describeError(failure));
    },
    [checkSignedIn],
  );
  const load = useCallback(
    () => client.listApiKeys().then((list) => setKeys(list.keys), fail),
    [client, fail],
  );
  useEffect(() => void load(), [load]);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      await load();
    } catch (failure) {
      fail(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>API keys</h1>
      {created !== null && (
        <div class="notice" role="status">
          <p>
            Key <strong>{created.name}</strong> created. Copy its secret now: it is not shown again.
          </p>
          <p class="mono break">{created.token}</p>
        </div>
      )}
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {keys !== null && keys.length === 0 && <p>No API keys.</p>}
      {keys !== null && keys.length > 0 && (
        <table class="keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td data-label="Name">{key.name}</td>
                <td data-label="Created">{formatTime(key.createdAt)}</td>
                <td data-label="Last used">{formatTime(key.lastUsedAt)}</td>
                <td data-label="State">
                  {key.revokedAt !== null ? (
                    `revoked ${formatTime(key.revokedAt)}`
                  ) : (
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke ${key.name}`}
                      disabled={busy}
                      onClick={() => void act(() => client.revokeApiKey(key.id))}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>New API key</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            setCreated(await client.createApiKey({ name: name.trim() }));
            setName('');
          });
        }}
      >
        <label class="grow">
          Name <span class="hint">(what uses it)</span>
          <input
            name="keyName"
            required
            maxLength={200}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          Create key
        </button>
      </form>
    </section>
  );
};
