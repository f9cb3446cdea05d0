import { randomBytes } from 'node:crypto';
import type { Database } from '@shlkit/server';
import { sql } from 'kysely';
import { msSince } from './median.js';

/** Links copied per transaction: bounds the embedded database's memory while seeding. */
const CHUNK = 10_000;

export interface SeedReport {
  /** Links stored after seeding. */
  links: number;
  /** Links added. */
  added: number;
  /** Milliseconds the inserts and ANALYZE took. */
  ms: number;
}

/** Links stored now. */
export const countLinks = async (db: Database): Promise<number> => {
  const result = await sql<{ n: string | number }>`select count(*) as n from shl_links`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
};

/**
 * Stores copies of the template link until `target` links exist: SQL insert-selects over
 * `generate_series`, each copy with new ids (43 characters, as the server's) for the link and its files,
 * the template's wrapped key, flags and files, and its `shl_link_activity` row, as links.repository.ts
 * writes them. Far faster than 100,000 API calls, and the rows are the same shape. Ends with ANALYZE, as
 * autovacuum would after a bulk load, so the planner sees the table as it is.
 */
export const seedLinks = async (db: Database, templateId: string, target: number): Promise<SeedReport> => {
  const started = process.hrtime.bigint();
  const present = await countLinks(db);
  // Fresh per call, so that copies made by an earlier call never clash with these.
  const salt = randomBytes(8).toString('hex');
  const linkId = (g: ReturnType<typeof sql.ref>) =>
    sql`left(md5(${salt} || 'l' || ${g}) || md5(${salt} || 'm' || ${g}), 43)`;
  const fileId = (g: ReturnType<typeof sql.ref>) =>
    sql`left(md5(${salt} || 'f' || ${g}) || md5(${salt} || 'g' || ${g}), 43)`;
  const g = sql.ref('g');
  for (let from = 1; from <= target - present; from += CHUNK) {
    const to = Math.min(from + CHUNK - 1, target - present);
    await db.transaction().execute(async (trx) => {
      await sql`insert into shl_links (id, label, flags, wrapped_key, expires_at, created_at, updated_at, owner)
        select ${linkId(g)}, t.label, t.flags, t.wrapped_key, t.expires_at, t.created_at, t.updated_at, t.owner
        from shl_links t cross join generate_series(${from}::int, ${to}::int) as g
        where t.id = ${templateId}`.execute(trx);
      await sql`insert into shl_link_activity (link_id)
        select ${linkId(g)} from generate_series(${from}::int, ${to}::int) as g`.execute(trx);
      await sql`insert into shl_files (id, link_id, position, content_type, jwe, last_updated)
        select ${fileId(g)}, ${linkId(g)}, f.position, f.content_type, f.jwe, f.last_updated
        from shl_files f cross join generate_series(${from}::int, ${to}::int) as g
        where f.link_id = ${templateId}`.execute(trx);
    });
  }
  await sql`analyze`.execute(db);
  const links = await countLinks(db);
  return { links, added: links - present, ms: msSince(started) };
};
