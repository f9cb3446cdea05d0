import { sql } from 'kysely';
import type { AccessPath, Database } from '../db/schema.js';
import type { StoredFile } from '../links/links.repository.js';

export interface ServeRequest {
  linkId: string;
  at: Date;
  nowSeconds: number;
  recipient: string | null;
  path: AccessPath;
  /** Serve only this file (a `location` ticket names one); all files when undefined. */
  fileId?: string | undefined;
  /**
   * False serves only links without a passcode: the caller has not checked one. True once the caller has
   * verified the passcode, or holds a ticket that a verified manifest request issued.
   */
  passcodeChecked: boolean;
  /**
   * False serves only links without flag L: the caller has not checked how recently this recipient polled
   * (see `pollWait`). Other paths pass true.
   */
  longTermChecked: boolean;
}

export interface ServedLink {
  flags: string;
  files: StoredFile[];
}

// SHL: a U link is a single file fetched by GET and has no manifest; every other link has no direct file.
const FLAG_RULE = {
  manifest: sql`position('U' in l.flags) = 0`,
  direct: sql`position('U' in l.flags) > 0`,
  file: sql`true`,
} as const;

/**
 * Serves a link in one statement: if, at this instant, the link is active (not revoked, deactivated,
 * expired or locked), allowed on this path and past its passcode, it writes the `ok` access-log row and
 * returns the files; otherwise it writes nothing and returns undefined. A revocation or the last wrong
 * passcode that commits first therefore always wins, and no answer goes out without its log row.
 * One statement, not read-then-write, is also what keeps the hot path to a single round trip.
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
      select l.id, l.flags from shl_links l
      left join shl_passcodes p on p.link_id = l.id
      where l.id = ${request.linkId}
        and l.revoked_at is null and l.deactivated_at is null
        and (l.expires_at is null or l.expires_at > ${request.nowSeconds})
        and (p.remaining is null or p.remaining > 0)
        and (${request.passcodeChecked} or p.link_id is null)
        and (${request.longTermChecked} or position('L' in l.flags) = 0)
        and ${FLAG_RULE[request.path]}
        and (cast(${fileId} as text) is null
          or exists (select 1 from shl_files f where f.link_id = l.id and f.id = ${fileId}))
    ),
    logged as (
      insert into shl_access_log (link_id, at, recipient, path, outcome, file_id)
      select a.id, ${request.at}, ${request.recipient}, ${request.path}, 'ok',
        coalesce(cast(${fileId} as text),
          case when ${request.path} = 'direct'
            then (select f.id from shl_files f where f.link_id = a.id order by f.position limit 1) end)
      from active a
      returning link_id
    )
    select a.flags, f.id, f.position, f.content_type, f.jwe, f.last_updated
    from logged g
    join active a on a.id = g.link_id
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
