import { sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { type LinkStatus, linkStatusSql } from '../access-rule/access-rule.js';
import type { PreparedFile } from './prepare-files.js';

export interface LinkRecord {
  id: string;
  seq: number;
  label: string | null;
  flags: string;
  wrappedKey: string | null;
  expiresAt: number | null;
  deactivatedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  passcode: { hash: string; attempts: number; remaining: number } | null;
  /** Manifest and direct-file answers served so far. */
  uses: number;
  /** Null: no use limit. */
  maxUses: number | null;
  /** The acting subject that created the link; null for links made before owners (and by scripts). */
  owner: string | null;
}

export interface LinkSummary extends LinkRecord {
  /** From the access rule, at the instant the link was read. */
  status: LinkStatus;
  fileCount: number;
  accessCount: number;
  lastAccessAt: Date | null;
}

export interface StoredFile {
  id: string;
  position: number;
  contentType: string;
  jwe: string;
  lastUpdated: Date;
}

export interface NewLink {
  id: string;
  label: string | null;
  flags: string;
  wrappedKey: string | null;
  expiresAt: number | null;
  passcode: { hash: string; attempts: number } | null;
  maxUses: number | null;
  owner: string | null;
  managementTokenHash: string | null;
  at: Date;
}

const toNumber = (value: string | number | bigint): number => Number(value);

const linkColumns = [
  'l.id',
  'l.seq',
  'l.label',
  'l.flags',
  'l.wrapped_key',
  'l.expires_at',
  'l.deactivated_at',
  'l.revoked_at',
  'l.created_at',
  'l.updated_at',
  'l.uses',
  'l.max_uses',
  'l.owner',
  'p.hash',
  'p.attempts',
  'p.remaining',
] as const;

/** `l` and `p` are the aliases the access rule reads; `now` is the instant the status is for. */
const baseQuery = (db: Database, now: Date) =>
  db
    .selectFrom('shl_links as l')
    .leftJoin('shl_passcodes as p', 'p.link_id', 'l.id')
    .select(linkColumns)
    .select(linkStatusSql(now).as('status'))
    .select((eb) => [
      eb
        .selectFrom('shl_files as f')
        .whereRef('f.link_id', '=', 'l.id')
        .select(sql<number>`count(*)`.as('n'))
        .as('file_count'),
      eb
        .selectFrom('shl_access_log as a')
        .whereRef('a.link_id', '=', 'l.id')
        .select(sql<number>`count(*)`.as('n'))
        .as('access_count'),
      eb
        .selectFrom('shl_access_log as a')
        .whereRef('a.link_id', '=', 'l.id')
        .select(sql<Date>`max(a.at)`.as('t'))
        .as('last_access_at'),
    ]);

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

const toSummary = (row: Row): LinkSummary => ({
  id: row.id,
  seq: toNumber(row.seq),
  label: row.label,
  flags: row.flags,
  wrappedKey: row.wrapped_key,
  expiresAt: row.expires_at === null ? null : toNumber(row.expires_at),
  deactivatedAt: row.deactivated_at,
  revokedAt: row.revoked_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  status: row.status,
  passcode:
    row.hash === null || row.attempts === null || row.remaining === null
      ? null
      : { hash: row.hash, attempts: Number(row.attempts), remaining: Number(row.remaining) },
  uses: Number(row.uses),
  maxUses: row.max_uses === null ? null : Number(row.max_uses),
  owner: row.owner,
  fileCount: Number(row.file_count ?? 0),
  accessCount: Number(row.access_count ?? 0),
  lastAccessAt: row.last_access_at === null ? null : new Date(row.last_access_at),
});

export const findLink = async (db: Database, id: string, now: Date): Promise<LinkSummary | undefined> => {
  const row = await baseQuery(db, now).where('l.id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toSummary(row);
};

export type LinkSort = 'created' | 'expires' | 'lastAccess';
export type SortOrder = 'asc' | 'desc';

/**
 * Where a page ends, in the sort's own terms: `key` is the sort value (`seq` for `created`, the expiry
 * key for `expires`, epoch ms for `lastAccess`) and `tie` breaks ties (`seq`, or the link id).
 */
export interface ListPosition {
  key: number;
  tie: number | string;
}

export interface ListQuery {
  status?: LinkStatus | undefined;
  /** Label contains this, ignoring case. */
  q?: string | undefined;
  /** Only the links of this owner (owners/link-reach.ts); undefined: every link. */
  owner?: string | undefined;
  sort: LinkSort;
  order: SortOrder;
  limit: number;
  /** List the links after this position, in this sort and order. */
  after?: ListPosition | undefined;
  now: Date;
}

/** Links without expiry sort as expiring last; the schema's index (migration 0007) has this expression. */
export const NO_EXPIRY_KEY = 100_000_000_000_000;
const EXPIRY_KEY = sql<number>`coalesce(l.expires_at, 100000000000000)`;

/** LIKE's wildcards (and its escape character) in a search text stand for themselves. */
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The query for one page of links (`listLinks` runs it; tests `explain` it): filtered, sorted and continued after `after` by keyset (the sort value and a unique
 * tie-break), which walks an index (`seq`, `shl_links_expiry`, `shl_link_activity_last_access`) and stops
 * after `limit` rows, however many links there are. The label search is a substring match: no index helps
 * with that, it filters the rows the walk reads.
 */
export const listLinksQuery = (db: Database, query: ListQuery) => {
  const desc = query.order === 'desc';
  const dir = sql.raw(desc ? 'desc' : 'asc');
  const op = sql.raw(desc ? '<' : '>');
  let select = baseQuery(db, query.now)
    .innerJoin('shl_link_activity as t', 't.link_id', 'l.id')
    .select(['t.last_access_ms', EXPIRY_KEY.as('expiry_key')]);
  if (query.status !== undefined) select = select.where(linkStatusSql(query.now), '=', query.status);
  if (query.owner !== undefined) select = select.where('l.owner', '=', query.owner);
  if (query.q !== undefined) {
    select = select.where(sql<boolean>`l.label ilike ${likePattern(query.q)} escape '\\'`);
  }
  const after = query.after;
  switch (query.sort) {
    case 'created':
      if (after !== undefined) select = select.where(sql<boolean>`l.seq ${op} ${after.key}`);
      select = select.orderBy(sql`l.seq ${dir}`);
      break;
    case 'expires':
      if (after !== undefined) {
        select = select.where(
          sql<boolean>`(${EXPIRY_KEY}, l.seq) ${op} (cast(${after.key} as bigint), cast(${after.tie} as bigint))`,
        );
      }
      select = select.orderBy(sql`${EXPIRY_KEY} ${dir}`).orderBy(sql`l.seq ${dir}`);
      break;
    case 'lastAccess':
      if (after !== undefined) {
        select = select.where(
          sql<boolean>`(t.last_access_ms, t.link_id) ${op} (cast(${after.key} as bigint), cast(${after.tie} as text))`,
        );
      }
      select = select.orderBy(sql`t.last_access_ms ${dir}`).orderBy(sql`t.link_id ${dir}`);
      break;
  }
  return select.limit(query.limit);
};

export const listLinks = async (
  db: Database,
  query: ListQuery,
): Promise<(LinkSummary & { position: ListPosition })[]> => {
  const rows = await listLinksQuery(db, query).execute();
  return rows.map((row) => {
    const summary = toSummary(row);
    const position: ListPosition =
      query.sort === 'created'
        ? { key: summary.seq, tie: summary.seq }
        : query.sort === 'expires'
          ? { key: Number(row.expiry_key), tie: summary.seq }
          : { key: Number(row.last_access_ms), tie: summary.id };
    return { ...summary, position };
  });
};

export const insertLink = async (db: Database, link: NewLink): Promise<void> => {
  await db
    .insertInto('shl_links')
    .values({
      id: link.id,
      label: link.label,
      flags: link.flags,
      wrapped_key: link.wrappedKey,
      expires_at: link.expiresAt,
      deactivated_at: null,
      revoked_at: null,
      created_at: link.at,
      updated_at: link.at,
      max_uses: link.maxUses,
      owner: link.owner,
      management_token_hash: link.managementTokenHash,
    })
    .execute();
  await db.insertInto('shl_link_activity').values({ link_id: link.id }).execute();
  if (link.passcode !== null) await setPasscode(db, link.id, link.passcode, link.at);
};

export const setPasscode = async (
  db: Database,
  linkId: string,
  passcode: { hash: string; attempts: number },
  at: Date,
): Promise<void> => {
  await db
    .insertInto('shl_passcodes')
    .values({
      link_id: linkId,
      hash: passcode.hash,
      attempts: passcode.attempts,
      remaining: passcode.attempts,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.column('link_id').doUpdateSet({
        hash: passcode.hash,
        attempts: passcode.attempts,
        remaining: passcode.attempts,
        updated_at: at,
      }),
    )
    .execute();
};

/** Sets the lifetime allowance and gives every attempt back. */
export const rearmPasscode = async (
  db: Database,
  linkId: string,
  attempts: number,
  at: Date,
): Promise<void> => {
  await db
    .updateTable('shl_passcodes')
    .set({ attempts, remaining: attempts, updated_at: at })
    .where('link_id', '=', linkId)
    .execute();
};

export const removePasscode = async (db: Database, linkId: string): Promise<void> => {
  await db.deleteFrom('shl_passcodes').where('link_id', '=', linkId).execute();
};

export interface LinkChanges {
  label?: string | null;
  flags?: string;
  expiresAt?: number | null;
  deactivatedAt?: Date | null;
  revokedAt?: Date;
  maxUses?: number | null;
}

export const updateLink = async (db: Database, id: string, changes: LinkChanges, at: Date): Promise<void> => {
  await db
    .updateTable('shl_links')
    .set({
      updated_at: at,
      ...(changes.label !== undefined ? { label: changes.label } : {}),
      ...(changes.flags !== undefined ? { flags: changes.flags } : {}),
      ...(changes.expiresAt !== undefined ? { expires_at: changes.expiresAt } : {}),
      ...(changes.deactivatedAt !== undefined ? { deactivated_at: changes.deactivatedAt } : {}),
      ...(changes.revokedAt !== undefined ? { revoked_at: changes.revokedAt } : {}),
      ...(changes.maxUses !== undefined ? { max_uses: changes.maxUses } : {}),
    })
    .where('id', '=', id)
    .execute();
};

export const insertFiles = async (
  db: Database,
  linkId: string,
  files: PreparedFile[],
  ids: string[],
  at: Date,
): Promise<void> => {
  if (files.length === 0) return;
  await db
    .insertInto('shl_files')
    .values(
      files.map((file, position) => ({
        id: ids[position] ?? '',
        link_id: linkId,
        position,
        content_type: file.contentType,
        jwe: file.jwe,
        last_updated: at,
      })),
    )
    .execute();
};

/** Deletes every file of a link (their location tickets go with them). */
export const deleteFiles = async (db: Database, linkId: string): Promise<void> => {
  await db.deleteFrom('shl_files').where('link_id', '=', linkId).execute();
};
