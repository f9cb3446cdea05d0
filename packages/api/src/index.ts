// @shlkit/api: the one contract of the management API (TypeBox schemas and route table) and a typed
// client built from it. Isomorphic (Node >= 20.19 and browsers); runtime dependency: typebox.

export {
  type Access,
  type AccessList,
  AccessListSchema,
  type AccessOutcome,
  AccessOutcomeSchema,
  type AccessPath,
  AccessPathSchema,
  AccessSchema,
  type ListAccessesQuery,
  ListAccessesQuerySchema,
  AccessStreamSchema,
  type StreamAccessesQuery,
  StreamAccessesQuerySchema,
} from './access-log/access.schema.js';
export {
  API_KEY_SCOPES,
  type ApiKey,
  type ApiKeyIdParams,
  ApiKeyIdParamsSchema,
  type ApiKeyList,
  ApiKeyListSchema,
  ApiKeySchema,
  type ApiKeyScope,
  ApiKeyScopeSchema,
  type CreateApiKeyBody,
  CreateApiKeyBodySchema,
  type CreatedApiKey,
  CreatedApiKeySchema,
} from './api-keys/api-key.schema.js';
export {
  type AuditEvent,
  AuditEventSchema,
  type AuditList,
  AuditListSchema,
  type ListAuditQuery,
  ListAuditQuerySchema,
} from './audit/audit.schema.js';
export {
  isManagementApiError,
  ManagementApiError,
  type ManagementApiErrorOptions,
  type ManagementErrorCode,
} from './client/management-api-error.js';
export {
  createManagementClient,
  type CreateOptions,
  type ManagementAuth,
  type ManagementClient,
  type ManagementClientOptions,
} from './client/management-client.js';
export {
  type Dashboard,
  type DashboardCounts,
  DashboardCountsSchema,
  type DashboardQuery,
  DashboardQuerySchema,
  DashboardSchema,
  type RecentAccess,
  RecentAccessSchema,
} from './dashboard/dashboard.schema.js';
export {
  type ErrorBody,
  ErrorBodySchema,
  ErrorCodeSchema,
  errorAnswers,
} from './errors/error-body.schema.js';
export { type ContentPreviewAnswer, ContentPreviewSchema } from './links/content-preview.schema.js';
export {
  type CreatedLink,
  CreatedLinkSchema,
  type Link,
  type LinkList,
  LinkListSchema,
  type LinkPayload,
  LinkPayloadSchema,
  LinkSchema,
  type LinkStatus,
  LinkStatusSchema,
} from './links/link.schema.js';
export {
  type CreateLinkBody,
  CreateLinkBodySchema,
  type CreateLinkFromFhirBody,
  CreateLinkFromFhirBodySchema,
  type EncryptedFile,
  EncryptedFileSchema,
  type FhirPatientBody,
  FhirPatientBodySchema,
  type LinkIdParams,
  LinkIdParamsSchema,
  type LinkSort,
  LinkSortSchema,
  type ListLinksQuery,
  ListLinksQuerySchema,
  type PlainFile,
  PlainFileSchema,
  type ReplaceLinkFilesBody,
  ReplaceLinkFilesBodySchema,
  type SortOrder,
  SortOrderSchema,
  type UpdateLinkBody,
  UpdateLinkBodySchema,
} from './links/link-requests.schema.js';
export {
  IDEMPOTENCY_KEY_HOURS,
  IDEMPOTENCY_KEY_PATTERN,
  type IdempotencyHeaders,
  IdempotencyHeadersSchema,
} from './idempotency/idempotency-key.schema.js';
export { type QrQuery, QrPngSchema, QrQuerySchema, QrSvgSchema } from './qr/qr.schema.js';
export {
  type Role,
  RoleSchema,
  type Session,
  SessionSchema,
  type SignInBody,
  SignInBodySchema,
} from './session/session.schema.js';
export {
  type CreateUserBody,
  CreateUserBodySchema,
  type UpdateUserBody,
  UpdateUserBodySchema,
  type User,
  type UserIdParams,
  UserIdParamsSchema,
  type UserList,
  UserListSchema,
  UserSchema,
} from './users/user.schema.js';
export {
  MANAGEMENT_ROUTES,
  type ManagementRouteName,
  type ManagementRoutes,
} from './routes/management-routes.js';
export type {
  AnswerEncoding,
  HttpMethod,
  RouteAnswer,
  RouteBody,
  RouteContract,
  RouteHeaders,
  RouteInput,
  RouteParams,
  RouteQuery,
} from './routes/route-contract.js';
export { MANAGEMENT_SECURITY, SECURITY_SCHEMES } from './routes/security.js';
