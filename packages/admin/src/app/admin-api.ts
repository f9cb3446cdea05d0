import { createManagementClient, type ManagementClient, type Session } from '@shlkit/api';

/**
 * The management API as this app uses it: anonymous until sign-in, then with the session's CSRF token on
 * every request (the browser adds the http-only session cookie itself).
 */
export interface AdminApi {
  /** Without credentials: sign-in, and asking whether a session cookie is already there. */
  readonly anonymous: ManagementClient;
  /** A client that sends `x-csrf-token` for this session (required on state-changing requests). */
  forSession(session: Session): ManagementClient;
}

export const createAdminApi = (baseUrl: string, fetchFn: typeof fetch): AdminApi => ({
  anonymous: createManagementClient({ baseUrl, fetch: fetchFn }),
  forSession: (session) =>
    createManagementClient({
      baseUrl,
      fetch: fetchFn,
      auth: { session: { csrfToken: session.csrfToken } },
    }),
});
