import type { Role, User } from '@shlkit/api';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PageContext } from '../app/app.js';
import { describeError } from '../ui/describe-error.js';
import { formatTime } from '../ui/format.js';

/** Accounts (admin only): create, change role, disable or enable, delete. Usernames shown as text. */
export const UsersPage = ({ context }: { context: PageContext }) => {
  const { client, checkSignedIn } = context;
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [busy, setBusy] = useState(false);

  const fail = useCallback(
    (failure: unknown) => {
      checkSignedIn(failure);
      setError(describeError(failure));
    },
    [checkSignedIn],
  );
  const load = useCallback(
    () => client.listUsers().then((list) => setUsers(list.users), fail),
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
      <h1>Users</h1>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {users !== null && (
        <table class="users">
          <thead>
            <tr>
              <th scope="col">User name</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <td data-label="User name">{user.username}</td>
                <td data-label="Role">
                  <select
                    aria-label={`Role of ${user.username}`}
                    value={user.role}
                    disabled={busy}
                    onChange={(e) => {
                      const next = e.currentTarget.value as Role;
                      void act(() => client.updateUser(user.id, { role: next }));
                    }}
                  >
                    <option value="admin">admin</option>
                    <option value="operator">operator</option>
                  </select>
                </td>
                <td data-label="State">{user.disabled ? 'disabled' : 'enabled'}</td>
                <td data-label="Created">{formatTime(user.createdAt)}</td>
                <td data-label="Actions">
                  <SetPassword
                    username={user.username}
                    busy={busy}
                    onSet={(newPassword) => act(() => client.updateUser(user.id, { password: newPassword }))}
                  />
                  <div class="actions">
                    <button
                      type="button"
                      class="secondary"
                      disabled={busy}
                      onClick={() => void act(() => client.updateUser(user.id, { disabled: !user.disabled }))}
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                    </button>
                    <button
                      type="button"
                      class="danger"
                      disabled={busy || user.username === context.session.user.username}
                      onClick={() => void act(() => client.deleteUser(user.id))}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>New user</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await client.createUser({ username: username.trim(), password, role });
            setUsername('');
            setPassword('');
          });
        }}
      >
        <label class="grow">
          User name
          <input
            name="newUsername"
            required
            autocomplete="off"
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label class="grow">
          Password <span class="hint">(at least 12 characters)</span>
          <input
            name="newPassword"
            type="password"
            required
            minLength={12}
            autocomplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <label>
          Role
          <select name="newRole" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            <option value="operator">operator</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" disabled={busy}>
          Create user
        </button>
      </form>
    </section>
  );
};

/** A new password for one account (12 characters or more); the account's sessions end on the server. */
const SetPassword = ({
  username,
  busy,
  onSet,
}: {
  username: string;
  busy: boolean;
  onSet(password: string): Promise<void>;
}) => {
  const [password, setPassword] = useState('');
  return (
    <form
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        void onSet(password).then(() => setPassword(''));
      }}
    >
      <input
        class="grow"
        type="password"
        name="resetPassword"
        aria-label={`New password for ${username}`}
        placeholder="New password"
        autocomplete="new-password"
        required
        minLength={12}
        value={password}
        onInput={(e) => setPassword(e.currentTarget.value)}
      />
      <button type="submit" class="secondary" disabled={busy}>
        Set password
      </button>
    </form>
  );
};
