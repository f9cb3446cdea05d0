import type { ColumnType, Generated, Kysely } from 'kysely';

/** Epoch seconds; `bigint` columns come back as strings from `pg` and as numbers or bigints from PGlite. */
type EpochSeconds = ColumnType<string | number | bigint, number, number>;
type Timestamp = ColumnType<Date, Date, Date>;
type Serial = ColumnType<string | number | bigint, never, never>;

export interface LinksTable {
  id: string;
  seq: Serial;
  label: string | null;
  flags: string;
  /** The link key wrapped under the server KEK; null for zero-knowledge links (the server never had it). */
  wrapped_key: string | null;
  expires_at: EpochSeconds | null;
  deactivated_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Manifest and direct-file answers served so far. */
  uses: ColumnType<number, number | undefined, number>;
  /** Null: no use limit. */
  max_uses: number | null;
  /** When the retention sweep purged the link's files (the link is then deleted for good); null until then. */
  purged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the retention sweep erased the label and the recipient names of its access log; null until then. */
  personal_purged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The acting subject that created the link (`oidc:<sub>`, `key:<id>`, a username); null: made before owners. */
  owner: ColumnType<string | null, string | null | undefined, string | null>;
  /** SHA-256 (base64url) of the link's management token; null for links made before them. */
  management_token_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Kept by a trigger on shl_access_log (migration 0007): the last access of a link, for sorting. */
export interface LinkActivityTable {
  link_id: string;
  /** Epoch milliseconds of the newest access-log row; 0 = never accessed. */
  last_access_ms: ColumnType<string | number | bigint, number | undefined, number>;
}

export interface PasscodesTable {
  link_id: string;
  hash: string;
  /** Lifetime wrong passcodes allowed; re-arming sets `remaining` back to it. */
  attempts: number;
  remaining: number;
  updated_at: Timestamp;
}

/** A passcode guess in flight, holding one remaining attempt until it is settled or `expires_at` passes. */
export interface PasscodeHoldsTable {
  id: string;
  link_id: string;
  expires_at: Timestamp;
}

export interface FilesTable {
  id: string;
  link_id: string;
  position: number;
  /** As listed in the manifest. */
  content_type: string;
  jwe: string;
  last_updated: Timestamp;
}

export interface FileTicketsTable {
  ticket_hash: string;
  link_id: string;
  file_id: string;
  recipient: string;
  expires_at: Timestamp;
}

export type AccessPath = 'manifest' | 'file' | 'direct';
export type AccessOutcome =
  'ok' | 'wrong-passcode' | 'passcode-required' | 'inactive' | 'rate-limited' | 'wrong-method';

export interface AccessLogTable {
  id: Generated<string | number | bigint>;
  link_id: string;
  at: Timestamp;
  recipient: string | null;
  path: AccessPath;
  outcome: AccessOutcome;
  file_id: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  /** Space-separated scopes (`links:create links:read ...`); `admin` for keys made before scopes. */
  scopes: ColumnType<string, string | undefined, string>;
}

export interface AdminUsersTable {
  id: string;
  username: string;
  password_hash: string;
  created_at: Timestamp;
  role: ColumnType<AdminRole, AdminRole | undefined, AdminRole>;
  disabled_at: Timestamp | null;
}

export type AdminRole = 'admin' | 'operator';

export interface SessionsTable {
  /** SHA-256 (base64url) of the cookie's token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string | number | bigint>;
  at: Timestamp;
  actor: string;
  action: string;
  link_id: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
}

/** A rate-limit counter (rate-limits/count-hit.ts): hits of one budget by one client in one window. */
export interface RateLimitsTable {
  /** SHA-256 (base64url) of the budget's name and the client (address or username). */
  key: string;
  /** Epoch seconds when the counted window ends. */
  window_end: ColumnType<string | number | bigint, number, number>;
  hits: number;
}

/** The link an `Idempotency-Key` made (migration 0010); rows past `expires_at` count as absent. */
export interface IdempotencyKeysTable {
  /** Who sent the key: `SHL_API_KEY`, `key:<id>` or `user:<id>`. */
  principal: string;
  key: string;
  /** SHA-256 (base64url) of the route and the request body without its passcode. */
  fingerprint: string;
  link_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface DatabaseSchema {
  shl_links: LinksTable;
  shl_link_activity: LinkActivityTable;
  shl_passcodes: PasscodesTable;
  shl_passcode_holds: PasscodeHoldsTable;
  shl_files: FilesTable;
  shl_file_tickets: FileTicketsTable;
  shl_access_log: AccessLogTable;
  shl_api_keys: ApiKeysTable;
  shl_admin_users: AdminUsersTable;
  shl_sessions: SessionsTable;
  shl_audit_log: AuditLogTable;
  shl_rate_limits: RateLimitsTable;
  shl_idempotency_keys: IdempotencyKeysTable;
}

export type Database = Kysely<DatabaseSchema>;
