import { sql } from 'kysely';
import { mayServeSql, USE_LIMIT_ALLOWS } from '../access-rule/access-rule.js';
import { runTransaction } from '../db/one-round-trip.js';
import type { Database } from '../db/schema.js';
import { lockLinksStatement } from '../links/lock-links.js';
import type { StoredFile } from '../links/links.repository.js';
import type { ServedLink } from '../manifests/serve-active-link.js';
import type { JweCache } from '../files/jwe-cache.js';

/**
 * A request the batch may serve without help: no passcode to compare, no ticket to issue.
 * - `manifest`: a manifest POST for a link without passcode. `cap` is the least of the server's and the
 *   request's `embeddedLengthMax` (characters, null for none): a link with a longer file needs `location`
 *   tickets, which the batch does not issue, so it is left to the one-request path.
 * - `direct`: a U link's direct-file GET.
 * - `file`: a `location` GET, with the SHA-256 of its ticket (files/file-tickets.ts).
 */
export type BatchRequest =
  | { path: 'manifest'; linkId: string; recipient: string; cap: number | null }
  | { path: 'direct'; linkId: string; recipient: string }
  | { path: 'file'; linkId: string; fileId: string; ticketHash: string };

/** What a batch did for one request: served it (its `ok` row is written), or left it alone. */
export type BatchResult = ServedLink | undefined;

type Row = {
  row_kind: 'served' | 'file';
  ord: number | null;
  link_id: string;
  flags: string | null;
  file_id: string | null;
  position: number | null;
  content_type: string | null;
  jwe: string | null;
  last_updated: Date | string | null;
};

/**
 * Serves many requests of one path in one serving statement and one commit (one WAL flush), with the
 * same rule as `serveActiveLink` (manifests/serve-active-link.ts) for each: the access rule decides
 * (access-rule/access-rule.ts, one `now` for the batch), the use is counted under `USE_LIMIT_ALLOWS`, and
 * each served request gets its own `ok` access-log row, in arrival order, in the statement that reads the
 * files. Nothing is served without its row; nothing is logged that was not served.
 *
 * Manifest and direct-file batches lock their links first, in id order (links/lock-links.ts), and serve
 * in the next statement: a revocation or a new use limit that committed while the batch waited is seen,
 * counts are exact (with `max_uses` = 5 exactly five requests are served, whatever the batches), and
 * concurrent batches cannot deadlock. `location` batches count nothing and lock nothing.
 *
 * Left alone (result undefined), for the caller's one-request path to decide and log as before: every
 * request the rule refuses, a manifest request that needs `location` tickets, and every request but the
 * first for a link with a use limit.
 *
 * @param now The instant the batch is decided at: the access rule's `now` and every row's `at`.
 * @param longTermChecked For manifest batches: true when no poll interval applies, so that L links may be
 *   served too (manifests/poll-wait.ts); false leaves L links to the one-request path.
 * @param jweCache Files already held are not read again, and the files read are kept
 *   (files/jwe-cache.ts). A manifest or direct-file batch reads all of a link's files; a `location`
 *   batch only the ones asked for.
 * @returns One result per request, in the order given.
 * @throws database errors (mapped to SHL_UNAVAILABLE by the caller's error handling): then nothing of the
 *   batch took effect.
 */
export const serveMany = async (
  db: Database,
  path: BatchRequest['path'],
  now: Date,
  requests: readonly BatchRequest[],
  longTermChecked = false,
  jweCache?: JweCache,
): Promise<BatchResult[]> => {
  if (requests.length === 0) return [];
  // Files this process holds are not read again (files/jwe-cache.ts): a manifest embeds its link's
  // files as a direct-file answer sends its one, and an IPS is 100 KB or more.
  const held =
    jweCache?.take(
      requests.flatMap((request) =>
        request.path === 'file' ? [request.fileId] : jweCache.fileIdsOf(request.linkId),
      ),
    ) ?? new Map<string, StoredFile>();
  const known = JSON.stringify([...held.keys()]);
  const rows =
    path === 'file'
      ? await serveLocations(db, now, requests, known)
      : await serveUses(db, path, now, requests, path === 'direct' || longTermChecked, known);
  return collect(rows, requests.length, held, path === 'file' ? 'files' : 'links', jweCache);
};

/** Manifest and direct-file requests: each served one is a use. */
const serveUses = async (
  db: Database,
  path: 'manifest' | 'direct',
  now: Date,
  requests: readonly BatchRequest[],
  longTermChecked: boolean,
  known: string,
): Promise<Row[]> => {
  const items = requests.map((request, ord) => {
    if (request.path === 'file') throw new Error('a location request in a batch of uses');
    return {
      ord,
      link_id: request.linkId,
      recipient: request.recipient,
      cap: request.path === 'manifest' ? request.cap : null,
    };
  });
  const rule = mayServeSql({
    now,
    path,
    passcode: { kind: 'none' },
    longTermChecked,
  });
  // SHL: a direct-file answer names its file in the log (a U link has exactly one).
  const fileOfRow =
    path === 'direct'
      ? sql`(select f.id from shl_files f where f.link_id = e.link_id order by f.position limit 1)`
      : sql`cast(null as text)`;
  const serve = sql<Row>`
      with req as (
        select r.ord, r.link_id, r.recipient, r.cap
        from jsonb_to_recordset(cast(${JSON.stringify(items)} as jsonb))
          as r(ord integer, link_id text, recipient text, cap bigint)
      ),
      candidate as (
        select r.ord, r.link_id, r.recipient, l.max_uses is not null as limited,
          row_number() over (partition by r.link_id order by r.ord) as k
        from req r
        join shl_links l on l.id = r.link_id
        left join shl_passcodes p on p.link_id = l.id
        where ${rule}
          and not exists (select 1 from shl_files f
            where f.link_id = l.id and octet_length(f.jwe) > r.cap)
      ),
      eligible as (select * from candidate where not (limited and k > 1)),
      wanted as (select link_id, count(*) as n from eligible group by link_id),
      counted as (
        update shl_links l set uses = l.uses + cast(w.n as integer)
        from wanted w
        where l.id = w.link_id and ${USE_LIMIT_ALLOWS}
        returning l.id, l.flags
      ),
      logged as (
        insert into shl_access_log (link_id, at, recipient, path, outcome, file_id)
        select e.link_id, ${now}, e.recipient, ${path}, 'ok', ${fileOfRow}
        from eligible e join counted c on c.id = e.link_id
        order by e.ord
        returning link_id
      )
      select 'served' as row_kind, e.ord, c.id as link_id, c.flags, cast(null as text) as file_id,
        cast(null as integer) as position, cast(null as text) as content_type, cast(null as text) as jwe,
        cast(null as timestamptz) as last_updated
      from eligible e join counted c on c.id = e.link_id
      union all
      select 'file', null, f.link_id, null, f.id, f.position, f.content_type,
        case when cast(${known} as jsonb) ? f.id then null else f.jwe end, f.last_updated
      from shl_files f
      where f.link_id in (select id from counted)
    order by 1 desc, 2, 6`.compile(db);
  // Links first, in id order, then the statement: it sees them as they are now (see lock-links.ts). Both
  // in one transaction and, on PostgreSQL, one round trip (db/one-round-trip.ts).
  const [, rows] = await runTransaction(db, [
    lockLinksStatement(
      db,
      items.map((item) => item.link_id),
    ),
    serve,
  ]);
  return rows as Row[];
};

/** `location` GETs: a live ticket for this file, and the link still active (used-up counts as active). */
const serveLocations = async (
  db: Database,
  now: Date,
  requests: readonly BatchRequest[],
  known: string,
): Promise<Row[]> => {
  const items = requests.map((request, ord) => {
    if (request.path !== 'file') throw new Error('a use in a batch of location requests');
    return { ord, link_id: request.linkId, file_id: request.fileId, ticket_hash: request.ticketHash };
  });
  const rule = mayServeSql({ now, path: 'file', passcode: { kind: 'ticket' }, longTermChecked: true });
  const serve = sql<Row>`
    with req as (
      select r.ord, r.link_id, r.file_id, r.ticket_hash
      from jsonb_to_recordset(cast(${JSON.stringify(items)} as jsonb))
        as r(ord integer, link_id text, file_id text, ticket_hash text)
    ),
    eligible as (
      select r.ord, r.link_id, r.file_id, t.recipient, l.flags
      from req r
      join shl_file_tickets t on t.ticket_hash = r.ticket_hash and t.link_id = r.link_id
        and t.file_id = r.file_id and t.expires_at > ${now}
      join shl_links l on l.id = r.link_id
      left join shl_passcodes p on p.link_id = l.id
      where ${rule}
        and exists (select 1 from shl_files f where f.link_id = l.id and f.id = r.file_id)
    ),
    logged as (
      insert into shl_access_log (link_id, at, recipient, path, outcome, file_id)
      select e.link_id, ${now}, e.recipient, 'file', 'ok', e.file_id
      from eligible e
      order by e.ord
      returning link_id
    )
    select 'served' as row_kind, e.ord, e.link_id, e.flags, e.file_id,
      cast(null as integer) as position, cast(null as text) as content_type, cast(null as text) as jwe,
      cast(null as timestamptz) as last_updated
    from eligible e
    union all
    select 'file', null, f.link_id, null, f.id, f.position, f.content_type,
      case when cast(${known} as jsonb) ? f.id then null else f.jwe end, f.last_updated
    from shl_files f
    where exists (select 1 from eligible e where e.link_id = f.link_id and e.file_id = f.id)
    order by 1 desc, 2, 6`.compile(db);
  const [rows] = await runTransaction(db, [serve]);
  return rows as Row[];
};

/**
 * Files once per link (a batch of 32 requests for one link reads its JWE once), then each request's. A
 * file row without its JWE is one the batch said it held (`held`). The files read are kept in `cache`,
 * as all of their link's files when the batch read them all (`'links'`), or one by one (`'files'`).
 */
const collect = (
  rows: readonly Row[],
  count: number,
  held: ReadonlyMap<string, StoredFile>,
  read: 'links' | 'files',
  cache: JweCache | undefined,
): BatchResult[] => {
  const filesOf = new Map<string, StoredFile[]>();
  for (const row of rows) {
    if (row.row_kind !== 'file') continue;
    const files = filesOf.get(row.link_id) ?? [];
    files.push(row.jwe === null ? heldFile(held, row.file_id as string) : storedFile(row));
    filesOf.set(row.link_id, files);
  }
  if (cache !== undefined)
    for (const [linkId, files] of filesOf) cache.keep(files, read === 'links' ? linkId : undefined);
  const results: BatchResult[] = Array.from({ length: count }, () => undefined);
  for (const row of rows) {
    if (row.row_kind !== 'served') continue;
    const files = filesOf.get(row.link_id) ?? [];
    results[Number(row.ord)] = {
      flags: row.flags as string,
      // A location request names one file; the others of its link are not its own.
      files: row.file_id === null ? files : files.filter((file) => file.id === row.file_id),
    };
  }
  return results;
};

const storedFile = (row: Row): StoredFile => ({
  id: row.file_id as string,
  position: Number(row.position),
  contentType: row.content_type as string,
  jwe: row.jwe as string,
  lastUpdated: row.last_updated instanceof Date ? row.last_updated : new Date(row.last_updated as string),
});

const heldFile = (held: ReadonlyMap<string, StoredFile>, id: string): StoredFile => {
  const file = held.get(id);
  // The statement leaves out only the JWEs of the ids it was given, all of which are in `held`.
  if (file === undefined) throw new Error(`the batch left out the JWE of file ${id}, which it does not hold`);
  return file;
};
