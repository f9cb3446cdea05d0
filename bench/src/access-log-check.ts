import type { Database } from '@shlkit/server';
import { sql } from 'kysely';

/**
 * The `ok` access-log rows each link must hold: every 2xx answer the bench got from a serving route
 * (manifest POST, direct-file GET, `location` GET), warm-up and sample requests included.
 */
export class AccessLedger {
  readonly #expected = new Map<string, number>();

  /** Records `count` more 2xx answers for the link `linkId`. */
  add(linkId: string, count: number): void {
    this.#expected.set(linkId, (this.#expected.get(linkId) ?? 0) + count);
  }

  entries(): [string, number][] {
    return [...this.#expected.entries()];
  }
}

export interface AccessLogCount {
  linkId: string;
  /** 2xx answers the bench received. */
  answered: number;
  /** `ok` rows in shl_access_log. */
  logged: number;
}

/**
 * Counts each ledger link's `ok` access-log rows by SQL and sets them beside the answers received. The
 * server writes the row in the statement that serves (serve-active-link.ts): one row per answer, exactly.
 */
export const countAccessLog = async (db: Database, ledger: AccessLedger): Promise<AccessLogCount[]> => {
  const entries = ledger.entries();
  if (entries.length === 0) return [];
  const result = await sql<{ link_id: string; n: string | number }>`
    select link_id, count(*) as n from shl_access_log
    where outcome = 'ok' and link_id in (${sql.join(entries.map(([id]) => id))})
    group by link_id`.execute(db);
  const logged = new Map(result.rows.map((row) => [row.link_id, Number(row.n)]));
  return entries.map(([linkId, answered]) => ({ linkId, answered, logged: logged.get(linkId) ?? 0 }));
};
