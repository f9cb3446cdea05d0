import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';

/** What every audit row says: who did what, when, to which link if any, and the particulars. */
export interface AuditEntry {
  at: Date;
  actor: string;
  action: AuditAction;
  linkId?: string | undefined;
  details?: Record<string, unknown>;
}

export type AuditAction =
  | 'session.signed-in'
  | 'session.signed-out'
  | 'session.sign-in-failed'
  | 'link.created'
  | 'link.changed'
  | 'link.revoked'
  | 'link.content-replaced'
  | 'key.created'
  | 'key.revoked'
  | 'user.created'
  | 'user.changed'
  | 'user.deleted';

/**
 * Writes one audit row. Callers pass the transaction that makes the change the row records, so that the
 * change and its record commit together or not at all: the trail never tells of a change that did not
 * happen, nor misses one that did. Never put a secret (password, token, passcode) in `details`.
 */
export const recordAudit = async (trx: Kysely<DatabaseSchema>, entry: AuditEntry): Promise<void> => {
  await trx
    .insertInto('shl_audit_log')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      link_id: entry.linkId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
};
