import { API_KEY_SCOPES, type ApiKey, type ApiKeyScope, type CreatedApiKey } from '@shlkit/api';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PageContext } from '../app/app.js';
import { describeError } from '../ui/describe-error.js';
import { formatTime } from '../ui/format.js';

/** What each scope allows, for the form (the contract's `ApiKeyScopeSchema` says the same). */
const SCOPE_HELP: Record<ApiKeyScope, string> = {
  'links:create': 'create links; read, change and revoke only its own',
  'links:read': 'read every link and the audit trail',
  'links:manage': 'read, change, revoke and create every link',
  admin: 'everything, including accounts and API keys',
};

/** API keys (admin only): created with their scopes (the secret shown once), listed, revoked. */
export const ApiKeysPage = ({ context }: { context: PageContext }) => {
  const { client, checkSignedIn } = context;
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['admin']);
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
            Key <strong>{created.name}</strong> ({created.scopes.join(', ')}) created. Copy its secret now: it
            is not shown again.
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
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td data-label="Name">{key.name}</td>
                <td data-label="Scopes">{key.scopes.join(', ')}</td>
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
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            setCreated(await client.createApiKey({ name: name.trim(), scopes }));
            setName('');
            setScopes(['admin']);
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
        <fieldset class="scopes">
          <legend>Scopes</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} class="check">
              <input
                type="checkbox"
                name="scope"
                value={scope}
                checked={scopes.includes(scope)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setScopes((now) => API_KEY_SCOPES.filter((s) => (s === scope ? on : now.includes(s))));
                }}
              />{' '}
              <span class="mono">{scope}</span> <span class="hint">{SCOPE_HELP[scope]}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy || scopes.length === 0}>
          Create key
        </button>
      </form>
    </section>
  );
};
