import type { AuditEvent, AuditList, ListAuditQuery } from '@shlkit/api';
import type { Database } from '../db/schema.js';

const DEFAULT_LIMIT = 100;

/** One page of the audit trail, newest first; every filter is an exact match. */
export const listAudit = async (db: Database, query: ListAuditQuery): Promise<AuditList> => {
  const limit = query.limit ?? DEFAULT_LIMIT;
  let select = db
    .selectFrom('shl_audit_log')
    .select(['id', 'at', 'actor', 'action', 'link_id', 'details'])
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (query.linkId !== undefined) select = select.where('link_id', '=', query.linkId);
  if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
  if (query.action !== undefined) select = select.where('action', '=', query.action);
  if (query.cursor !== undefined) select = select.where('id', '<', query.cursor);
  const rows = await select.execute();
  const page = rows.slice(0, limit);
  const events = page.map((row): AuditEvent => ({
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    ...(row.link_id === null ? {} : { linkId: row.link_id }),
    // PGlite and pg both parse jsonb; a string would mean a driver that does not.
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
  }));
  const last = page.at(-1);
  return { events, nextCursor: rows.length > limit && last !== undefined ? String(last.id) : null };
};
