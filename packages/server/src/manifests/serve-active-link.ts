import { sql } from 'kysely';
import {
  type AccessRequest,
  countsAsUse,
  LINK_WITH_PASSCODE,
  mayServeSql,
  USE_LIMIT_ALLOWS,
} from '../access-rule/access-rule.js';
import type { Database } from '../db/schema.js';
import type { StoredFile } from '../links/links.repository.js';

export interface ServeRequest extends AccessRequest {
  linkId: string;
  recipient: string | null;
  /** Serve only this file (a `location` ticket names one); all files when undefined. */
  fileId?: string | undefined;
}

export interface ServedLink {
  flags: string;
  files: StoredFile[];
}

/**
 * Serves a link in one statement: if, at this instant, the access rule lets this request in
 * (access-rule/access-rule.ts: active, right path, passcode met), it writes the `ok` access-log row and
 * returns the files; otherwise it writes nothing and returns undefined. No answer goes out without its log
 * row. Callers that count a use lock the link first in the same transaction (links/lock-links.ts): a
 * statement that waited on the link's row would otherwise go on with its old snapshot, and serve a link
 * whose revocation committed while it waited.
 * One statement, not read-then-write, is also what keeps the hot path to a single round trip.
 *
 * A manifest or direct-file answer is a use: the same statement adds one to `uses`, and only while
 * `uses < max_uses`. That guard sits in the UPDATE itself, so under parallel requests PostgreSQL re-checks
 * it on the row version the previous request committed (READ COMMITTED re-evaluates an UPDATE's WHERE
 * after waiting on a row lock): with `max_uses` = 5, exactly five requests are served, whatever the race.
 */
export const serveActiveLink = async (
  db: Database,
  request: ServeRequest,
): Promise<ServedLink | undefined> => {
  const fileId = request.fileId ?? null;
  const result = await sql<{
    flags: string;
    id: string;
    position: number;
    content_type: string;
    jwe: string;
    last_updated: Date;
  }>`
    with active as (
      select l.id, l.flags from ${LINK_WITH_PASSCODE}
      where l.id = ${request.linkId}
        and ${mayServeSql(request)}
        and (cast(${fileId} as text) is null
          or exists (select 1 from shl_files f where f.link_id = l.id and f.id = ${fileId}))
    ),
    served as (${
      countsAsUse(request.path)
        ? sql`update shl_links l set uses = l.uses + 1
          from active a where l.id = a.id and ${USE_LIMIT_ALLOWS}
          returning l.id, l.flags`
        : sql`select a.id, a.flags from active a`
    }),
    logged as (
      insert into shl_access_log (link_id, at, recipient, path, outcome, file_id)
      select s.id, ${request.now}, ${request.recipient}, ${request.path}, 'ok',
        coalesce(cast(${fileId} as text),
          case when ${request.path} = 'direct'
            then (select f.id from shl_files f where f.link_id = s.id order by f.position limit 1) end)
      from served s
      returning link_id
    )
    select a.flags, f.id, f.position, f.content_type, f.jwe, f.last_updated
    from logged g
    join served a on a.id = g.link_id
    join shl_files f on f.link_id = g.link_id
    where cast(${fileId} as text) is null or f.id = ${fileId}
    order by f.position`.execute(db);
  const [first] = result.rows;
  if (first === undefined) return undefined;
  return {
    flags: first.flags,
    files: result.rows.map((row) => ({
      id: row.id,
      position: Number(row.position),
      contentType: row.content_type,
      jwe: row.jwe,
      lastUpdated: row.last_updated instanceof Date ? row.last_updated : new Date(row.last_updated),
    })),
  };
};
