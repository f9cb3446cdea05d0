import { isManagementApiError, type ManagementClient, type Session } from '@shlkit/api';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiKeysPage } from '../api-keys/api-keys-page.js';
import { AuditPage } from '../audit/audit-page.js';
import { CreatePage } from '../create/create-page.js';
import { DashboardPage } from '../dashboard/dashboard-page.js';
import { LinkPage } from '../link/link-page.js';
import { LinksPage } from '../links/links-page.js';
import { SignInPage } from '../session/sign-in-page.js';
import { UsersPage } from '../users/users-page.js';
import type { AdminApi } from './admin-api.js';
import { type Route, parseRoute, pathOf } from './routes.js';

export interface AppProps {
  api: AdminApi;
  initialPath: string;
  now: () => number;
}

/** What every page gets: the client of this session, navigation, and a way to say the session ended. */
export interface PageContext {
  client: ManagementClient;
  session: Session;
  navigate(route: Route): void;
  /** Call with any error: a 401 means the session is over, and the sign-in page comes back. */
  checkSignedIn(error: unknown): void;
  now: () => number;
}

type SessionState =
  { state: 'checking' } | { state: 'signed-out'; notice?: string } | { state: 'signed-in'; session: Session };

export const App = ({ api, initialPath, now }: AppProps) => {
  const [route, setRoute] = useState<Route>(() => parseRoute(initialPath));
  const [session, setSession] = useState<SessionState>({ state: 'checking' });

  useEffect(() => {
    api.anonymous.getSession().then(
      (found) => setSession({ state: 'signed-in', session: found }),
      () => setSession({ state: 'signed-out' }),
    );
  }, [api]);

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((next: Route) => {
    window.history.pushState(null, '', pathOf(next));
    setRoute(next);
    window.scrollTo(0, 0);
  }, []);

  const client = useMemo(
    () => (session.state === 'signed-in' ? api.forSession(session.session) : api.anonymous),
    [api, session],
  );

  const checkSignedIn = useCallback((error: unknown) => {
    if (isManagementApiError(error, 'SHL_UNAUTHORIZED')) {
      setSession({ state: 'signed-out', notice: 'Your session has ended. Sign in again.' });
    }
  }, []);

  const signOut = async () => {
    try {
      await client.signOut();
    } catch (error) {
      // Signed out either way: a session that is already gone answers 401.
      if (!isManagementApiError(error, 'SHL_UNAUTHORIZED')) throw error;
    }
    setSession({ state: 'signed-out', notice: 'You are signed out.' });
  };

  if (session.state === 'checking') {
    return (
      <main class="page" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  }
  if (session.state === 'signed-out') {
    return (
      <SignInPage
        client={api.anonymous}
        notice={session.notice}
        onSignedIn={(signedIn) => setSession({ state: 'signed-in', session: signedIn })}
      />
    );
  }

  // Operators manage links only; the server refuses them users and keys (403) whatever the page shows.
  const isAdmin = session.session.user.role === 'admin';
  const context: PageContext = { client, session: session.session, navigate, checkSignedIn, now };
  const link = (target: Route, label: string) => (
    <a
      href={pathOf(target)}
      aria-current={route.page === target.page ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate(target);
      }}
    >
      {label}
    </a>
  );
  return (
    <>
      <header class="top no-print">
        <nav aria-label="Main">
          <span class="brand">SHL admin</span>
          {link({ page: 'dashboard' }, 'Dashboard')}
          {link({ page: 'links' }, 'Links')}
          {link({ page: 'new' }, 'New link')}
          {link({ page: 'audit' }, 'Audit log')}
          {isAdmin && link({ page: 'users' }, 'Users')}
          {isAdmin && link({ page: 'keys' }, 'API keys')}
        </nav>
        <div class="who">
          <span>
            {session.session.user.username} ({session.session.user.role})
          </span>
          <button type="button" class="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main class="page">
        {route.page === 'dashboard' && <DashboardPage context={context} />}
        {route.page === 'links' && <LinksPage context={context} />}
        {route.page === 'new' && <CreatePage context={context} />}
        {route.page === 'link' && (
          <LinkPage
            key={route.id}
            context={context}
            id={route.id}
            created={route.created === true}
            newPasscode={route.passcode}
            managementToken={route.managementToken}
          />
        )}
        {route.page === 'audit' && <AuditPage context={context} />}
        {route.page === 'users' && (isAdmin ? <UsersPage context={context} /> : <AdminOnly />)}
        {route.page === 'keys' && (isAdmin ? <ApiKeysPage context={context} /> : <AdminOnly />)}
        {route.page === 'not-found' && (
          <section>
            <h1>Page not found</h1>
            <p>{link({ page: 'dashboard' }, 'Back to the dashboard')}</p>
          </section>
        )}
      </main>
    </>
  );
};

const AdminOnly = () => (
  <section>
    <h1>Admins only</h1>
    <p>Your role (operator) manages links; users and API keys are for admins.</p>
  </section>
);
