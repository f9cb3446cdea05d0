import { Type } from 'typebox';
import { AccessListSchema, ListAccessesQuerySchema } from '../access-log/access.schema.js';
import {
  ApiKeyIdParamsSchema,
  ApiKeyListSchema,
  CreateApiKeyBodySchema,
  CreatedApiKeySchema,
} from '../api-keys/api-key.schema.js';
import { AuditListSchema, ListAuditQuerySchema } from '../audit/audit.schema.js';
import { errorAnswers } from '../errors/error-body.schema.js';
import { LinkListSchema, LinkSchema } from '../links/link.schema.js';
import {
  CreateLinkBodySchema,
  CreateLinkFromFhirBodySchema,
  LinkIdParamsSchema,
  ListLinksQuerySchema,
  ReplaceLinkFilesBodySchema,
  UpdateLinkBodySchema,
} from '../links/link-requests.schema.js';
import { QrPngSchema, QrQuerySchema, QrSvgSchema } from '../qr/qr.schema.js';
import { SessionSchema, SignInBodySchema } from '../session/session.schema.js';
import {
  CreateUserBodySchema,
  UpdateUserBodySchema,
  UserIdParamsSchema,
  UserListSchema,
  UserSchema,
} from '../users/user.schema.js';
import type { RouteContract } from './route-contract.js';

/**
 * Every route of the management API (all under `/api`, all behind `MANAGEMENT_SECURITY`). The server
 * registers exactly these and the client calls exactly these: a route, a field or a status changes here
 * or nowhere. The OpenAPI snapshot test pins the result.
 */
export const MANAGEMENT_ROUTES = {
  createLink: {
    method: 'POST',
    path: '/api/links',
    summary: 'Share: create a SMART Health Link',
    tags: ['links'],
    body: CreateLinkBodySchema,
    answers: { 201: LinkSchema, ...errorAnswers(400, 401, 409, 413, 415) },
    answer: 'json',
  },
  createLinkFromFhir: {
    method: 'POST',
    path: '/api/links/from-fhir',
    summary: "Share a patient's IPS fetched from the FHIR server (FHIR_BASE_URL): Patient/{id}/$summary",
    tags: ['links'],
    body: CreateLinkFromFhirBodySchema,
    answers: { 201: LinkSchema, ...errorAnswers(400, 401, 422, 501, 502) },
    answer: 'json',
  },
  listLinks: {
    method: 'GET',
    path: '/api/links',
    summary: 'List links, newest first',
    tags: ['links'],
    query: ListLinksQuerySchema,
    answers: { 200: LinkListSchema, ...errorAnswers(400, 401) },
    answer: 'json',
  },
  getLink: {
    method: 'GET',
    path: '/api/links/:id',
    summary: 'One link with its status, attempts and counts',
    tags: ['links'],
    params: LinkIdParamsSchema,
    answers: { 200: LinkSchema, ...errorAnswers(400, 401, 404) },
    answer: 'json',
  },
  updateLink: {
    method: 'PATCH',
    path: '/api/links/:id',
    summary: 'Change label, expiry or passcode; re-arm attempts; deactivate or reactivate',
    tags: ['links'],
    params: LinkIdParamsSchema,
    body: UpdateLinkBodySchema,
    answers: { 200: LinkSchema, ...errorAnswers(400, 401, 404, 409) },
    answer: 'json',
  },
  deleteLink: {
    method: 'DELETE',
    path: '/api/links/:id',
    summary: 'Revoke for good: the encrypted files are purged and the link answers 404',
    tags: ['links'],
    params: LinkIdParamsSchema,
    answers: { 204: Type.Null(), ...errorAnswers(400, 401, 404) },
    answer: 'none',
  },
  replaceLinkFiles: {
    method: 'PUT',
    path: '/api/links/:id/files',
    summary: 'Replace the content of a long-term (L) link: same key, new IVs',
    tags: ['links'],
    params: LinkIdParamsSchema,
    body: ReplaceLinkFilesBodySchema,
    answers: { 200: LinkSchema, ...errorAnswers(400, 401, 404, 409, 413) },
    answer: 'json',
  },
  listAccesses: {
    method: 'GET',
    path: '/api/links/:id/accesses',
    summary: 'Access log: time, recipient, path (manifest/file/direct), outcome; newest first',
    tags: ['links'],
    params: LinkIdParamsSchema,
    query: ListAccessesQuerySchema,
    answers: { 200: AccessListSchema, ...errorAnswers(400, 401, 404) },
    answer: 'json',
  },
  getQrPng: {
    method: 'GET',
    path: '/api/links/:id/qr.png',
    summary: 'QR code of the viewer URL (PNG, error correction M)',
    tags: ['links'],
    params: LinkIdParamsSchema,
    query: QrQuerySchema,
    answers: { 200: QrPngSchema, ...errorAnswers(400, 401, 404, 409) },
    answer: 'bytes',
    mediaType: 'image/png',
  },
  getQrSvg: {
    method: 'GET',
    path: '/api/links/:id/qr.svg',
    summary: 'QR code of the viewer URL (SVG, error correction M)',
    tags: ['links'],
    params: LinkIdParamsSchema,
    query: QrQuerySchema,
    answers: { 200: QrSvgSchema, ...errorAnswers(400, 401, 404, 409) },
    answer: 'text',
    mediaType: 'image/svg+xml',
  },
  createApiKey: {
    method: 'POST',
    path: '/api/keys',
    summary: 'Create an API key; the token is in this answer only',
    tags: ['keys'],
    body: CreateApiKeyBodySchema,
    answers: { 201: CreatedApiKeySchema, ...errorAnswers(400, 401, 403) },
    answer: 'json',
  },
  listApiKeys: {
    method: 'GET',
    path: '/api/keys',
    summary: 'List API keys (never their tokens)',
    tags: ['keys'],
    answers: { 200: ApiKeyListSchema, ...errorAnswers(401, 403) },
    answer: 'json',
  },
  revokeApiKey: {
    method: 'DELETE',
    path: '/api/keys/:id',
    summary: 'Revoke an API key',
    tags: ['keys'],
    params: ApiKeyIdParamsSchema,
    answers: { 204: Type.Null(), ...errorAnswers(400, 401, 403, 404) },
    answer: 'none',
  },
  signIn: {
    method: 'POST',
    path: '/api/session',
    summary: 'Sign in: sets the http-only session cookie; answers the CSRF token for state-changing requests',
    tags: ['session'],
    security: 'none',
    body: SignInBodySchema,
    answers: { 200: SessionSchema, ...errorAnswers(400, 401) },
    answer: 'json',
  },
  getSession: {
    method: 'GET',
    path: '/api/session',
    summary: 'The signed-in account and its CSRF token',
    tags: ['session'],
    answers: { 200: SessionSchema, ...errorAnswers(401) },
    answer: 'json',
  },
  signOut: {
    method: 'DELETE',
    path: '/api/session',
    summary: 'Sign out: ends the session',
    tags: ['session'],
    answers: { 204: Type.Null(), ...errorAnswers(401, 403) },
    answer: 'none',
  },
  listUsers: {
    method: 'GET',
    path: '/api/users',
    summary: 'List accounts (admin only)',
    tags: ['users'],
    answers: { 200: UserListSchema, ...errorAnswers(401, 403) },
    answer: 'json',
  },
  createUser: {
    method: 'POST',
    path: '/api/users',
    summary: 'Create an account (admin only)',
    tags: ['users'],
    body: CreateUserBodySchema,
    answers: { 201: UserSchema, ...errorAnswers(400, 401, 403, 409) },
    answer: 'json',
  },
  updateUser: {
    method: 'PATCH',
    path: '/api/users/:id',
    summary: "Change an account's role or password, disable or enable it (admin only)",
    tags: ['users'],
    params: UserIdParamsSchema,
    body: UpdateUserBodySchema,
    answers: { 200: UserSchema, ...errorAnswers(400, 401, 403, 404, 409) },
    answer: 'json',
  },
  deleteUser: {
    method: 'DELETE',
    path: '/api/users/:id',
    summary: 'Delete an account and end its sessions (admin only)',
    tags: ['users'],
    params: UserIdParamsSchema,
    answers: { 204: Type.Null(), ...errorAnswers(400, 401, 403, 404, 409) },
    answer: 'none',
  },
  listAudit: {
    method: 'GET',
    path: '/api/audit',
    summary: 'Audit trail of administrative actions, newest first',
    tags: ['audit'],
    query: ListAuditQuerySchema,
    answers: { 200: AuditListSchema, ...errorAnswers(400, 401) },
    answer: 'json',
  },
} as const satisfies Record<string, RouteContract>;

export type ManagementRoutes = typeof MANAGEMENT_ROUTES;
export type ManagementRouteName = keyof ManagementRoutes;
