import type { AccessList, ListAccessesQuery, StreamAccessesQuery } from '../access-log/access.schema.js';
import type { AuditList, ListAuditQuery } from '../audit/audit.schema.js';
import type { Dashboard, DashboardQuery } from '../dashboard/dashboard.schema.js';
import type { ContentPreviewAnswer } from '../links/content-preview.schema.js';
import type { IdempotencyHeaders } from '../idempotency/idempotency-key.schema.js';
import type { ApiKeyList, CreateApiKeyBody, CreatedApiKey } from '../api-keys/api-key.schema.js';
import type { CreatedLink, Link, LinkList } from '../links/link.schema.js';
import type {
  CreateLinkBody,
  CreateLinkFromFhirBody,
  FhirPatientBody,
  ListLinksQuery,
  ReplaceLinkFilesBody,
  UpdateLinkBody,
} from '../links/link-requests.schema.js';
import type { QrQuery } from '../qr/qr.schema.js';
import type { Session, SignInBody } from '../session/session.schema.js';
import type { CreateUserBody, UpdateUserBody, User, UserList } from '../users/user.schema.js';
import {
  MANAGEMENT_ROUTES,
  type ManagementRouteName,
  type ManagementRoutes,
} from '../routes/management-routes.js';
import type { RouteAnswer, RouteInput } from '../routes/route-contract.js';
import { callRoute, type Connection } from './call-route.js';

/**
 * A bearer API key (`SHL_API_KEY` or one from `POST /api/keys`), or a session from `signIn`: its
 * `csrfToken` goes with every request (the server checks it on state-changing ones). A browser sends the
 * http-only session cookie itself; elsewhere pass it as `cookie` (`shl_session=...`).
 */
export type ManagementAuth = { bearer: string } | { session: { csrfToken: string; cookie?: string } };

export interface ManagementClientOptions {
  /** The server's base URL (`PUBLIC_BASE_URL`), e.g. `https://shl.example.org`; a path prefix is kept. */
  baseUrl: string | URL;
  /** Sent with every request; leave it out to call `signIn` (or to rely on a browser's session cookie). */
  auth?: ManagementAuth;
  /** The fetch to use (default: the global one): for tests, proxies, upload progress. */
  fetch?: typeof fetch;
  /**
   * Check every JSON answer against its schema (default true), so that the types this client promises
   * hold at run time; a mismatch throws `SHL_INVALID_RESPONSE`.
   */
  checkAnswers?: boolean;
}

/** Options of the calls that create a link. */
export interface CreateOptions {
  /**
   * Sent as `Idempotency-Key`: a retry with the same key (same caller, same body, within 24 hours) answers
   * the link the first call made instead of making a second. Make one per link, e.g.
   * `crypto.randomUUID()`, and reuse it only to retry that call (1 to 255 visible ASCII characters).
   */
  idempotencyKey?: string;
}

/**
 * The management API of a shlkit server, one method per route of `MANAGEMENT_ROUTES`. Every method throws
 * `ManagementApiError`: the server's `code` (with its HTTP `status` and, for a bad field, `field`), or
 * `SHL_NETWORK_ERROR` (no answer) or `SHL_INVALID_RESPONSE` (an answer outside the contract). Every route
 * can answer `SHL_UNAUTHORIZED` (401); the codes listed per method are the others it is known for.
 */
export interface ManagementClient {
  /**
   * Creates a link from `content` (one FHIR resource) or `files` (plain `{contentType, content}` for the
   * server to encrypt, or all `{contentType, jwe}` encrypted by the caller: a zero-knowledge link, answered
   * without `key`, `shlink` or `viewerUrl`). `expiresAt` is epoch seconds.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED`, `SHL_INVALID_CONTENT`, `SHL_INVALID_CONTENT_TYPE`,
   *   `SHL_INVALID_JWE`, `SHL_INVALID_LABEL`, `SHL_INVALID_EXPIRY`, `SHL_FLAG_CONFLICT` (400);
   *   `SHL_BODY_TOO_LARGE` (413); `SHL_FORBIDDEN` (403: a credential that may not create links); `SHL_CSRF`
   *   (403: a session without its CSRF token); `SHL_IDEMPOTENCY_KEY_REUSED` (422); `SHL_UNAVAILABLE` (503:
   *   the database is away; retry after a few seconds, with the same `idempotencyKey`)
   * @returns the link and its `managementToken`, shown this once
   */
  createLink(body: CreateLinkBody, options?: CreateOptions): Promise<CreatedLink>;
  /**
   * Creates a link whose content is the IPS the server fetches from its FHIR server
   * (`Patient/{patientId}/$summary`); the other fields are those of `createLink`.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` and the other 400s of `createLink`; `SHL_NOT_IPS`
   *   (422); `SHL_FHIR_NOT_CONFIGURED` (501); `SHL_FHIR_UPSTREAM` (502: unknown patient, OperationOutcome,
   *   timeout, network error); `SHL_FORBIDDEN` (403: a `patientId` other than the token's `patient` claim);
   *   `SHL_CSRF` (403); `SHL_IDEMPOTENCY_KEY_REUSED` (422), `SHL_UNAVAILABLE` (503) as `createLink`
   */
  createLinkFromFhir(body: CreateLinkFromFhirBody, options?: CreateOptions): Promise<CreatedLink>;
  /**
   * What `createLinkFromFhir` would share, without creating anything: the server fetches the patient's IPS
   * as it would and answers its preview (kind, patient, sections with entry counts).
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400); `SHL_CSRF` (403); `SHL_NOT_IPS` (422);
   *   `SHL_FHIR_NOT_CONFIGURED` (501); `SHL_FHIR_UPSTREAM` (502)
   */
  previewLinkFromFhir(body: FhirPatientBody): Promise<ContentPreviewAnswer>;
  /**
   * One page of links: `q` searches labels, `status` filters, `sort` (`created`, `expires`, `lastAccess`)
   * and `order` (default newest first); `limit` 1 to 200 (default 50); pass the answer's `nextCursor` as
   * `cursor` for the next page of the same sort (null: no more).
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED`, `SHL_INVALID_CURSOR` (400)
   */
  listLinks(query?: ListLinksQuery): Promise<LinkList>;
  /**
   * One link with its status, passcode attempts and counts.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400, malformed id), `SHL_NOT_FOUND` (404)
   */
  getLink(id: string): Promise<Link>;
  /**
   * Changes label, expiry (epoch seconds) or passcode (`null` removes each), re-arms attempts, deactivates
   * (`active: false`) or reactivates.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED`, `SHL_INVALID_LABEL`, `SHL_INVALID_EXPIRY`,
   *   `SHL_FLAG_CONFLICT` (400); `SHL_CSRF` (403); `SHL_NOT_FOUND` (404); `SHL_LINK_REVOKED` (409)
   */
  updateLink(id: string, body: UpdateLinkBody): Promise<Link>;
  /**
   * Revokes a link for good: its files are purged, receivers get 404 from now on.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400), `SHL_CSRF` (403), `SHL_NOT_FOUND` (404)
   */
  deleteLink(id: string): Promise<void>;
  /**
   * Replaces the content of a long-term (`L`) link: same key, new IVs.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED`, `SHL_INVALID_CONTENT`, `SHL_INVALID_JWE` (400);
   *   `SHL_CSRF` (403); `SHL_NOT_FOUND` (404); `SHL_NOT_LONG_TERM`, `SHL_LINK_REVOKED` (409); `SHL_BODY_TOO_LARGE` (413)
   */
  replaceLinkFiles(id: string, body: ReplaceLinkFilesBody): Promise<Link>;
  /**
   * Replaces the content of a long-term (`L`) link with the patient's IPS fetched again from the FHIR
   * server: same key, new IVs; the audit trail records `link.content-replaced`.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400); `SHL_CSRF` (403); `SHL_NOT_FOUND` (404);
   *   `SHL_NOT_LONG_TERM`, `SHL_LINK_REVOKED` (409); `SHL_NOT_IPS` (422); `SHL_FHIR_NOT_CONFIGURED` (501);
   *   `SHL_FHIR_UPSTREAM` (502)
   */
  replaceLinkContentFromFhir(id: string, body: FhirPatientBody): Promise<Link>;
  /**
   * One page of a link's access log, newest first: `limit` 1 to 1000 (default 100), `cursor` from the
   * previous page's `nextCursor`.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400), `SHL_NOT_FOUND` (404)
   */
  listAccesses(id: string, query?: ListAccessesQuery): Promise<AccessList>;
  /**
   * The URL of a link's live access log (`GET /api/links/{id}/accesses/stream`, Server-Sent Events: one
   * `access` event per access, its data an `Access`), for an `EventSource`, which sends a browser's session
   * cookie but no bearer key (elsewhere, fetch it with the key and read the body as it comes). `after`: an
   * access id to start after (default: from now on).
   */
  accessStreamUrl(id: string, query?: StreamAccessesQuery): string;
  /**
   * The QR code of a link's viewer URL as PNG bytes; `scale` is pixels per module (1 to 20, default 6).
   * @throws {ManagementApiError} `SHL_NOT_FOUND` (404); `SHL_LINK_REVOKED`, `SHL_ZERO_KNOWLEDGE` (409: the
   *   server has no key, the creator makes the QR code)
   */
  getQrPng(id: string, query?: QrQuery): Promise<Uint8Array>;
  /**
   * The QR code of a link's viewer URL as SVG text.
   * @throws {ManagementApiError} as `getQrPng`
   */
  getQrSvg(id: string): Promise<string>;
  /**
   * Creates an API key; its `token` is in this answer and never again.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400)
   */
  createApiKey(body: CreateApiKeyBody): Promise<CreatedApiKey>;
  /** Every API key, newest first, without tokens. */
  listApiKeys(): Promise<ApiKeyList>;
  /**
   * Revokes an API key: requests with it get 401 from now on.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400), `SHL_NOT_FOUND` (404: no live key)
   */
  revokeApiKey(id: string): Promise<void>;
  /**
   * Signs in with an account's name and password; the server sets the session cookie (a browser keeps
   * it). Pass the answer's `csrfToken` as `auth.session.csrfToken` of the client used afterwards.
   * @throws {ManagementApiError} `SHL_BAD_CREDENTIALS` (401), `SHL_VALIDATION_FAILED` (400)
   */
  signIn(body: SignInBody): Promise<Session>;
  /** The signed-in account and its CSRF token. */
  getSession(): Promise<Session>;
  /**
   * Ends the session.
   * @throws {ManagementApiError} `SHL_CSRF` (403)
   */
  signOut(): Promise<void>;
  /**
   * Every account. Admin only.
   * @throws {ManagementApiError} `SHL_FORBIDDEN` (403)
   */
  listUsers(): Promise<UserList>;
  /**
   * Creates an account. Admin only.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400), `SHL_FORBIDDEN`, `SHL_CSRF` (403),
   *   `SHL_USERNAME_TAKEN` (409)
   */
  createUser(body: CreateUserBody): Promise<User>;
  /**
   * Changes an account's role or password, or disables it (which ends its sessions). Admin only.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400), `SHL_FORBIDDEN`, `SHL_CSRF` (403),
   *   `SHL_NOT_FOUND` (404), `SHL_LAST_ADMIN` (409)
   */
  updateUser(id: string, body: UpdateUserBody): Promise<User>;
  /**
   * Deletes an account and ends its sessions. Admin only.
   * @throws {ManagementApiError} `SHL_FORBIDDEN`, `SHL_CSRF` (403), `SHL_NOT_FOUND` (404),
   *   `SHL_LAST_ADMIN` (409)
   */
  deleteUser(id: string): Promise<void>;
  /**
   * One page of the audit trail, newest first, filtered by `linkId`, `actor` and `action`.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400)
   */
  listAudit(query?: ListAuditQuery): Promise<AuditList>;
  /**
   * Link counts by status, created (in all and in the last 7 days), opened and expiring within 7 days, and
   * the newest `recent` accesses across all links (1 to 100, default 20), newest first. Every role.
   * @throws {ManagementApiError} `SHL_VALIDATION_FAILED` (400)
   */
  getDashboard(query?: DashboardQuery): Promise<Dashboard>;
  /** Any route of the table by name, for generic callers; the methods above are shorthands of it. */
  call<N extends ManagementRouteName>(
    name: N,
    input: RouteInput<ManagementRoutes[N]>,
  ): Promise<RouteAnswer<ManagementRoutes[N]>>;
}

/** The headers that say who is calling. */
const credentialHeaders = (auth: ManagementAuth | undefined): Record<string, string> => {
  if (auth === undefined) return {};
  if ('bearer' in auth) return { authorization: `Bearer ${auth.bearer}` };
  return {
    'x-csrf-token': auth.session.csrfToken,
    ...(auth.session.cookie === undefined ? {} : { cookie: auth.session.cookie }),
  };
};

const idempotencyHeaders = (options: CreateOptions | undefined): IdempotencyHeaders =>
  options?.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey };

/**
 * A client of the management API. Runs wherever `fetch` does (Node >= 20.19, browsers); opens nothing
 * until a method is called.
 * @throws {TypeError} when `baseUrl` is not an absolute URL
 */
export const createManagementClient = (options: ManagementClientOptions): ManagementClient => {
  const base = new URL(options.baseUrl);
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  base.search = '';
  base.hash = '';
  const connection: Connection = {
    base,
    credentials: credentialHeaders(options.auth),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    checkAnswers: options.checkAnswers ?? true,
  };
  const call = <N extends ManagementRouteName>(name: N, input: RouteInput<ManagementRoutes[N]>) =>
    callRoute(MANAGEMENT_ROUTES[name], input, connection);

  return {
    createLink: (body, options) => call('createLink', { body, headers: idempotencyHeaders(options) }),
    createLinkFromFhir: (body, options) =>
      call('createLinkFromFhir', { body, headers: idempotencyHeaders(options) }),
    previewLinkFromFhir: (body) => call('previewLinkFromFhir', { body }),
    listLinks: (query) => call('listLinks', { query }),
    getLink: (id) => call('getLink', { params: { id } }),
    updateLink: (id, body) => call('updateLink', { params: { id }, body }),
    deleteLink: (id) => call('deleteLink', { params: { id } }),
    replaceLinkFiles: (id, body) => call('replaceLinkFiles', { params: { id }, body }),
    replaceLinkContentFromFhir: (id, body) => call('replaceLinkContentFromFhir', { params: { id }, body }),
    listAccesses: (id, query) => call('listAccesses', { params: { id }, query }),
    accessStreamUrl: (id, query) => {
      const url = new URL(`api/links/${encodeURIComponent(id)}/accesses/stream`, base);
      if (query?.after !== undefined) url.searchParams.set('after', query.after);
      return url.toString();
    },
    getQrPng: (id, query) => call('getQrPng', { params: { id }, query }),
    getQrSvg: (id) => call('getQrSvg', { params: { id } }),
    createApiKey: (body) => call('createApiKey', { body }),
    listApiKeys: () => call('listApiKeys', {}),
    revokeApiKey: (id) => call('revokeApiKey', { params: { id } }),
    signIn: (body) => call('signIn', { body }),
    getSession: () => call('getSession', {}),
    signOut: () => call('signOut', {}),
    listUsers: () => call('listUsers', {}),
    createUser: (body) => call('createUser', { body }),
    updateUser: (id, body) => call('updateUser', { params: { id }, body }),
    deleteUser: (id) => call('deleteUser', { params: { id } }),
    listAudit: (query) => call('listAudit', { query }),
    getDashboard: (query) => call('getDashboard', { query }),
    call,
  };
};
