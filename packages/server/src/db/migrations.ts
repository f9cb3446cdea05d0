import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { ServerError } from '../errors.js';
import type { Database } from './schema.js';

/**
 * The schema, one migration per step, in plain SQL that PostgreSQL 15 and PGlite (PostgreSQL 17/18) both
 * accept. Never edit a shipped step: add a new one.
 */
const initial: Migration = {
  async up(db: Kysely<unknown>) {
    const statements = [
      sql`create table shl_links (
        id text primary key,
        seq bigint generated always as identity unique,
        label text,
        flags text not null default '',
        wrapped_key text,
        expires_at bigint,
        deactivated_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      sql`create table shl_passcodes (
        link_id text primary key references shl_links(id) on delete cascade,
        hash text not null,
        attempts integer not null check (attempts > 0),
        remaining integer not null check (remaining >= 0),
        updated_at timestamptz not null
      )`,
      sql`create table shl_files (
        id text primary key,
        link_id text not null references shl_links(id) on delete cascade,
        position integer not null,
        content_type text not null,
        jwe text not null,
        last_updated timestamptz not null,
        unique (link_id, position)
      )`,
      sql`create table shl_file_tickets (
        ticket_hash text primary key,
        link_id text not null references shl_links(id) on delete cascade,
        file_id text not null references shl_files(id) on delete cascade,
        recipient text not null,
        expires_at timestamptz not null
      )`,
      sql`create index shl_file_tickets_expires_at on shl_file_tickets (expires_at)`,
      sql`create table shl_access_log (
        id bigint generated always as identity primary key,
        link_id text not null references shl_links(id) on delete cascade,
        at timestamptz not null,
        recipient text,
        path text not null check (path in ('manifest', 'file', 'direct')),
        outcome text not null check (outcome in ('ok', 'wrong-passcode', 'passcode-required', 'inactive')),
        file_id text
      )`,
      sql`create index shl_access_log_link on shl_access_log (link_id, id desc)`,
      sql`create table shl_api_keys (
        id text primary key,
        name text not null,
        token_hash text not null unique,
        created_at timestamptz not null,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`,
      sql`create table shl_admin_users (
        id text primary key,
        username text not null unique,
        password_hash text not null,
        created_at timestamptz not null
      )`,
    ];
    for (const statement of statements) await statement.execute(db);
  },
};

/** SHL: a server may answer 429 to a receiver that polls a long-term link too often; that is logged too. */
const rateLimitedOutcome: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table shl_access_log drop constraint shl_access_log_outcome_check`.execute(db);
    await sql`alter table shl_access_log add constraint shl_access_log_outcome_check
      check (outcome in ('ok', 'wrong-passcode', 'passcode-required', 'inactive', 'rate-limited'))`.execute(
      db,
    );
  },
};

/**
 * A passcode guess holds one of the link's remaining attempts while it is compared (see
 * passcodes/hold-attempt.ts). One row per guess in flight; `expires_at` lets a crashed process's hold
 * lapse. Deleting the passcode (or the link) drops its holds.
 */
const passcodeAttemptHolds: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create table shl_passcode_holds (
      id text primary key,
      link_id text not null references shl_passcodes(link_id) on delete cascade,
      expires_at timestamptz not null
    )`.execute(db);
    await sql`create index shl_passcode_holds_link on shl_passcode_holds (link_id, expires_at)`.execute(db);
  },
};

/**
 * A manifest POST to an active direct-file (`U`) link is logged as `wrong-method`, not `inactive`: the
 * link works, the receiver asked the wrong way (SHL: receivers SHALL NOT POST when `U` is set).
 */
const wrongMethodOutcome: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table shl_access_log drop constraint shl_access_log_outcome_check`.execute(db);
    await sql`alter table shl_access_log add constraint shl_access_log_outcome_check
      check (outcome in ('ok', 'wrong-passcode', 'passcode-required', 'inactive', 'rate-limited', 'wrong-method'))`.execute(
      db,
    );
  },
};

/**
 * A link may be served a limited number of times (`max_uses`, null for no limit). `uses` counts the
 * manifest and direct-file answers, incremented in the statement that serves them
 * (manifests/serve-active-link.ts), so parallel requests can never pass the limit.
 */
const linkUseLimit: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table shl_links
      add column uses integer not null default 0 check (uses >= 0),
      add column max_uses integer check (max_uses > 0)`.execute(db);
  },
};

/**
 * Accounts get a role (`admin`: everything; `operator`: links only) and can be disabled. Sign-in sessions
 * live here so that any server process honours them; only the SHA-256 of a session token is stored. The
 * audit trail records administrative actions (not receivers' accesses, which are in shl_access_log); it
 * has no foreign key to links or users so that it outlives what it is about.
 */
const accountsSessionsAudit: Migration = {
  async up(db: Kysely<unknown>) {
    const statements = [
      sql`alter table shl_admin_users
        add column role text not null default 'admin' check (role in ('admin', 'operator')),
        add column disabled_at timestamptz`,
      sql`create table shl_sessions (
        token_hash text primary key,
        user_id text not null references shl_admin_users(id) on delete cascade,
        csrf_token text not null,
        created_at timestamptz not null,
        last_seen_at timestamptz not null
      )`,
      sql`create index shl_sessions_user on shl_sessions (user_id)`,
      sql`create table shl_audit_log (
        id bigint generated always as identity primary key,
        at timestamptz not null,
        actor text not null,
        action text not null,
        link_id text,
        details jsonb not null
      )`,
      sql`create index shl_audit_log_link on shl_audit_log (link_id, id desc)`,
      sql`create index shl_audit_log_actor on shl_audit_log (actor, id desc)`,
      sql`create index shl_audit_log_action on shl_audit_log (action, id desc)`,
    ];
    for (const statement of statements) await statement.execute(db);
  },
};

/**
 * The links table sorts by creation (`seq`), expiry and last access, in pages (keyset) that stay fast at
 * 100,000 links. Expiry sorts on one index expression (no expiry sorts as the latest). The last access
 * lives in `shl_link_activity`, one row per link kept by a trigger on every access-log insert, whatever
 * code wrote it: not on `shl_links`, so that logging a wrong passcode (passcode row locked first) never
 * waits on a link row that an owner's change holds while it waits for that passcode row. 0 = never.
 */
const linkListSorting: Migration = {
  async up(db: Kysely<unknown>) {
    const statements = [
      sql`create index shl_links_expiry on shl_links ((coalesce(expires_at, 100000000000000)), seq)`,
      sql`create table shl_link_activity (
        link_id text primary key references shl_links(id) on delete cascade,
        last_access_ms bigint not null default 0
      )`,
      sql`create index shl_link_activity_last_access on shl_link_activity (last_access_ms, link_id)`,
      sql`insert into shl_link_activity (link_id, last_access_ms)
        select l.id, coalesce((select floor(extract(epoch from max(a.at)) * 1000) from shl_access_log a
          where a.link_id = l.id), 0)
        from shl_links l`,
      sql`create function shl_note_last_access() returns trigger language plpgsql as $$
        begin
          insert into shl_link_activity as t (link_id, last_access_ms)
          values (new.link_id, floor(extract(epoch from new.at) * 1000))
          on conflict (link_id) do update
            set last_access_ms = greatest(t.last_access_ms, excluded.last_access_ms);
          return null;
        end $$`,
      sql`create trigger shl_access_log_last_access after insert on shl_access_log
        for each row execute function shl_note_last_access()`,
    ];
    for (const statement of statements) await statement.execute(db);
  },
};

/**
 * The dashboard counts links by status without reading every link: each count walks an index that holds
 * only the links it is about (partial indexes), or a range of one (creation time, expiry). The partial
 * indexes read `uses`, so an answer that counts a use also updates them; a small price for a dashboard
 * that stays fast at 100,000 links (see dashboard/dashboard.repository.ts).
 */
const dashboard: Migration = {
  async up(db: Kysely<unknown>) {
    const statements = [
      sql`create index shl_links_created_at on shl_links (created_at)`,
      sql`create index shl_links_revoked on shl_links (seq)
        where revoked_at is not null or deactivated_at is not null`,
      sql`create index shl_links_used_up on shl_links (seq) where max_uses is not null and uses >= max_uses`,
      sql`create index shl_links_opened on shl_links (seq) where uses > 0`,
      sql`create index shl_passcodes_spent on shl_passcodes (link_id) where remaining <= 0`,
    ];
    for (const statement of statements) await statement.execute(db);
  },
};

/**
 * Who owns a link and who may act on it (issue 14). `owner` is the acting subject that created the link
 * (`oidc:<sub>`, `key:<id>`, an account's name, `SHL_API_KEY`); null for links made before, by the demo or
 * by scripts. A token of the identity provider or a `links:create` key lists its own links by the
 * `(owner, seq)` index. `management_token_hash` is the SHA-256 of the link's management token (256 random
 * bits, shown once): unique, so one indexed lookup finds its link. API keys get scopes, space-separated
 * as in OAuth; keys made before keep every right (`admin`).
 */
const ownersScopesManagementTokens: Migration = {
  async up(db: Kysely<unknown>) {
    const statements = [
      sql`alter table shl_links add column owner text`,
      sql`alter table shl_links add column management_token_hash text`,
      sql`create index shl_links_owner on shl_links (owner, seq) where owner is not null`,
      sql`create unique index shl_links_management_token on shl_links (management_token_hash)
        where management_token_hash is not null`,
      sql`alter table shl_api_keys add column scopes text not null default 'admin'`,
    ];
    for (const statement of statements) await statement.execute(db);
  },
};

/**
 * `Idempotency-Key` on link creation (idempotency/): the link a caller's key made, so that a retry after a
 * lost answer gets that link instead of a second one. Written in the link's own transaction; one key per
 * caller (`principal`); the request's fingerprint (a SHA-256 of route and body without the passcode) tells
 * a retry from another request reusing the key. No key material: the answer is rebuilt from the link.
 */
const idempotencyKeys: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create table shl_idempotency_keys (
      principal text not null,
      key text not null,
      fingerprint text not null,
      link_id text not null references shl_links(id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      primary key (principal, key)
    )`.execute(db);
    await sql`create index shl_idempotency_keys_expires_at on shl_idempotency_keys (expires_at)`.execute(db);
  },
};

/**
 * Rate-limit counters (rate-limits/): one row per budget and client (address or account), a fixed window
 * each, counted by one UPSERT per check so that every server process on the database shares them. The key
 * is a SHA-256, never the address or username itself. UNLOGGED: a counter is worth no WAL write on the
 * manifest path, and losing the counts in a crash (or a failover) only starts every window afresh.
 */
const rateLimits: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create unlogged table shl_rate_limits (
      key text primary key,
      window_end bigint not null,
      hits integer not null
    )`.execute(db);
    await sql`create index shl_rate_limits_window_end on shl_rate_limits (window_end)`.execute(db);
  },
};

/**
 * Key ids and retention. `shlkit rotate-kek` finds the link keys still wrapped under an old key-encryption
 * key by the key id inside the wrapped value (`v1.<kek id>.<iv>.<body>`, key-wrapping/key-wrapper.ts):
 * indexed, so that the rows left to re-wrap are found without reading every link. The retention sweep
 * (retention/) marks a link whose files it purged (`purged_at`) and whose label and recipient names it
 * erased (`personal_purged_at`): the tombstone keeps answering 404 and keeps its counts.
 */
const keyIdsRetention: Migration = {
  async up(db: Kysely<unknown>) {
    const statements = [
      sql`create index shl_links_kek_id on shl_links ((split_part(wrapped_key, '.', 2)))
        where wrapped_key is not null`,
      sql`alter table shl_links
        add column purged_at timestamptz,
        add column personal_purged_at timestamptz`,
      sql`create index shl_links_unswept on shl_links (seq) where personal_purged_at is null`,
    ];
    for (const statement of statements) await statement.execute(db);
  },
};

/**
 * The last access of a link (`shl_link_activity`) is kept once per statement, not once per row: a batch
 * of served requests (group-commit/) inserts many access-log rows for one link in one statement, and a
 * row trigger would upsert that link's activity row (and its index) once for each. The statement trigger
 * reads the inserted rows as a transition table and upserts each link once, with its latest access, in
 * id order (the order links are locked in, links/lock-links.ts).
 */
const lastAccessPerStatement: Migration = {
  async up(db: Kysely<unknown>) {
    const statements = [
      sql`drop trigger shl_access_log_last_access on shl_access_log`,
      sql`drop function shl_note_last_access()`,
      sql`create function shl_note_last_accesses() returns trigger language plpgsql as $$
        begin
          insert into shl_link_activity as t (link_id, last_access_ms)
          select n.link_id, max(floor(extract(epoch from n.at) * 1000)) from inserted n
          group by n.link_id order by n.link_id
          on conflict (link_id) do update
            set last_access_ms = greatest(t.last_access_ms, excluded.last_access_ms);
          return null;
        end $$`,
      sql`create trigger shl_access_log_last_access after insert on shl_access_log
        referencing new table as inserted
        for each statement execute function shl_note_last_accesses()`,
    ];
    for (const statement of statements) await statement.execute(db);
  },
};

/**
 * A file's JWE is stored uncompressed, out of line (`storage external`). A JWE is base64url of AES-GCM
 * ciphertext: the database's compression (pglz under the default `extended`) cannot shrink it by the 25 %
 * it asks for, yet tries over the whole value before storing it as it came. For the 2.4 MB JWE of a
 * 1.8 MB IPS, inserting and committing took a median of 110 ms with `extended` against 53 ms with
 * `external` on PostgreSQL 15 (decision 0008). Rows already stored keep their form; both are read alike.
 */
const filesStoredExternal: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table shl_files alter column jwe set storage external`.execute(db);
  },
};

const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_initial': initial,
  '0002_rate_limited_outcome': rateLimitedOutcome,
  '0003_passcode_attempt_holds': passcodeAttemptHolds,
  '0004_wrong_method_outcome': wrongMethodOutcome,
  '0005_link_use_limit': linkUseLimit,
  '0006_accounts_sessions_audit': accountsSessionsAudit,
  '0007_link_list_sorting': linkListSorting,
  '0008_dashboard': dashboard,
  '0009_owners_scopes_management_tokens': ownersScopesManagementTokens,
  '0010_idempotency_keys': idempotencyKeys,
  '0011_rate_limits': rateLimits,
  '0012_key_ids_retention': keyIdsRetention,
  '0013_last_access_per_statement': lastAccessPerStatement,
  '0014_files_stored_external': filesStoredExternal,
});

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

/**
 * True when every migration of this version has run: a server must not serve a schema older than its code
 * (`/readyz` asks, so that a load balancer waits for the process that migrates). False, not an error,
 * when the migrations table does not exist yet.
 */
export const migrationsDone = async (db: Database): Promise<boolean> => {
  const names = Object.keys(MIGRATIONS);
  const table = await sql<{
    present: string | null;
  }>`select to_regclass('shl_migrations')::text as present`.execute(db);
  if (table.rows[0]?.present == null) return false;
  const done = await sql<{
    n: string | number;
  }>`select count(*) as n from shl_migrations where name in (${sql.join(names)})`.execute(db);
  return Number(done.rows[0]?.n ?? 0) === names.length;
};

/**
 * Brings the schema up to date. Kysely takes an advisory lock on PostgreSQL, so several server processes
 * starting together migrate once.
 */
export const migrateToLatest = async (db: Database): Promise<void> => {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'shl_migrations',
    migrationLockTableName: 'shl_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new ServerError('SHL_INTERNAL', `database migration failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
};
