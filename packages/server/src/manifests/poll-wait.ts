import type { Database } from '../db/schema.js';

/**
 * Seconds this recipient must still wait before polling a long-term link again, 0 when it may ask now.
 * SHL lets a server answer 429 with Retry-After to a receiver that polls too often. The count lives in the
 * access log, so every server process sharing the database sees the same history. Two requests of one
 * recipient in the same instant may both pass: a limit on polling, not a security boundary.
 */
export const pollWait = async (
  db: Database,
  request: { linkId: string; recipient: string; now: Date; intervalSeconds: number },
): Promise<number> => {
  if (request.intervalSeconds <= 0) return 0;
  const since = new Date(request.now.getTime() - request.intervalSeconds * 1000);
  const row = await db
    .selectFrom('shl_access_log')
    .select((eb) => eb.fn.max('at').as('last'))
    .where('link_id', '=', request.linkId)
    .where('recipient', '=', request.recipient)
    .where('path', '=', 'manifest')
    .where('outcome', '=', 'ok')
    .where('at', '>', since)
    .executeTakeFirst();
  if (row?.last === null || row?.last === undefined) return 0;
  const last = row.last instanceof Date ? row.last : new Date(row.last);
  const elapsedMs = request.now.getTime() - last.getTime();
  return Math.max(1, Math.ceil((request.intervalSeconds * 1000 - elapsedMs) / 1000));
};
