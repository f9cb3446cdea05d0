import { createHash } from 'node:crypto';
import type { Database } from '../db/schema.js';
import type { Random } from '../random.js';
import { randomToken } from '../random.js';

/**
 * `location` URLs carry a ticket: 32 random bytes, stored only as a SHA-256 hash with an expiry in the
 * database, so any server process can honour it and a database leak does not hand out working URLs.
 * SHL: location URLs SHALL be unguessable and SHALL NOT live longer than one hour.
 */
export const hashTicket = (ticket: string): string => createHash('sha256').update(ticket).digest('base64url');

export const issueTicket = async (
  db: Database,
  random: Random,
  ticket: { linkId: string; fileId: string; recipient: string; expiresAt: Date },
): Promise<string> => {
  const value = randomToken(random);
  await db
    .insertInto('shl_file_tickets')
    .values({
      ticket_hash: hashTicket(value),
      link_id: ticket.linkId,
      file_id: ticket.fileId,
      recipient: ticket.recipient,
      expires_at: ticket.expiresAt,
    })
    .execute();
  return value;
};

/** The recipient a live ticket was issued to, or undefined when it is unknown, expired or for another file. */
export const redeemTicket = async (
  db: Database,
  ticket: { value: string; linkId: string; fileId: string; now: Date },
): Promise<{ recipient: string } | undefined> => {
  const row = await db
    .selectFrom('shl_file_tickets')
    .select(['recipient'])
    .where('ticket_hash', '=', hashTicket(ticket.value))
    .where('link_id', '=', ticket.linkId)
    .where('file_id', '=', ticket.fileId)
    .where('expires_at', '>', ticket.now)
    .executeTakeFirst();
  return row;
};

/** Expired tickets are useless; drop them as new ones are issued so the table stays small. */
export const purgeExpiredTickets = async (db: Database, now: Date): Promise<void> => {
  await db.deleteFrom('shl_file_tickets').where('expires_at', '<=', now).execute();
};

/**
 * Withdraws every live ticket of a link. A ticket stands for a manifest request that passed the passcode,
 * so when the passcode changes or goes, the tickets issued under the old one must not outlive it.
 */
export const revokeTickets = async (db: Database, linkId: string): Promise<void> => {
  await db.deleteFrom('shl_file_tickets').where('link_id', '=', linkId).execute();
};
