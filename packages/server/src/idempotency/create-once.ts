import { createHash } from 'node:crypto';
import { IDEMPOTENCY_KEY_HOURS } from '@shlkit/api';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { DatabaseSchema } from '../db/schema.js';
import { ServerError } from '../errors.js';
import type { LinkDeps } from '../links/link-deps.js';
import type { LinkView } from '../links/link-view.js';
import { findLink } from '../links/links.repository.js';
import { getLink } from '../links/links.service.js';
import { reissueManagementToken } from '../owners/management-tokens.js';
import { verifySecret } from '../passcodes/scrypt-hash.js';
import { claimKey, findKey, type StoredKey } from './idempotency-keys.repository.js';

/** Runs in the transaction that writes a link, after the link: throwing rolls the link back. */
export type InLinkTransaction = (trx: Kysely<DatabaseSchema>, linkId: string, now: Date) => Promise<void>;

export interface CreateOnceRequest {
  principal: Principal;
  /** The `Idempotency-Key` header; without one every request makes a link. */
  key: string | undefined;
  /** The route's name (`createLink`, `createLinkFromFhir`): one key on two routes is two requests. */
  route: string;
  /** The request body as validated. Its `passcode` is compared with the link's scrypt hash, not hashed here. */
  body: { passcode?: string | undefined };
}

/** A created link as its create route answers it: the view and the management token shown once. */
export type CreatedLinkView = LinkView & { managementToken: string };

export interface CreateOnceAnswer {
  link: CreatedLinkView;
  /** True when the answer is the link an earlier request with the key made. */
  replayed: boolean;
}

/** Who owns a key: API keys by their id, accounts by their id (a username can be taken again). */
const ownerOf = (principal: Principal): string =>
  principal.kind === 'admin-user' ? `user:${principal.userId}` : principal.actor;

/** JSON with object keys sorted, so that the same body sent with its fields in another order matches. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, inner]) => `${JSON.stringify(name)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/**
 * SHA-256 of the route and the body without its passcode: a fast hash of a passcode would let whoever
 * reads the database guess it far faster than its scrypt hash allows, so the passcode is checked against
 * the link's own scrypt hash instead (`sameRequest`).
 */
export const fingerprintRequest = (route: string, body: object): string => {
  const { passcode: _passcode, ...rest } = body as { passcode?: unknown };
  return createHash('sha256')
    .update(`${route}\n${canonical(rest)}`)
    .digest('base64url');
};

class KeyTaken extends Error {}

const reused = (): ServerError =>
  new ServerError(
    'SHL_IDEMPOTENCY_KEY_REUSED',
    'this Idempotency-Key was used for another request; use a new key for a new link',
    { field: 'Idempotency-Key' },
  );

/** The link an earlier request with the key made, when this request is a retry of it; else 422. */
const replay = async (
  deps: LinkDeps,
  stored: StoredKey,
  fingerprint: string,
  passcode: string | undefined,
): Promise<CreatedLinkView> => {
  if (stored.fingerprint !== fingerprint) throw reused();
  const link = await findLink(deps.db, stored.linkId, new Date(deps.clock.now()));
  if (link === undefined) throw reused();
  const hash = link.passcode?.hash;
  if ((hash === undefined) !== (passcode === undefined)) throw reused();
  if (hash !== undefined && passcode !== undefined && !(await verifySecret(passcode, hash))) throw reused();
  // The token of the lost answer cannot be rebuilt from its hash: the retry gets a new one (issue 14).
  const managementToken = await reissueManagementToken(deps.db, deps.random, stored.linkId);
  return { ...(await getLink(deps, stored.linkId)), managementToken };
};

/**
 * Creates a link at most once per `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header), so
 * that a client retrying after a lost 201 (a timeout, a dropped connection, a 503) gets the link it made
 * rather than a second one:
 * - no key: `create` runs, as without this module;
 * - a key this caller used within `IDEMPOTENCY_KEY_HOURS` for the same route and body (and passcode):
 *   the same link, rebuilt from its row (same id, key, URL and texts) with a new management token in place
 *   of the lost one, and `create` never runs (so a FHIR import does not fetch again);
 * - else `create` runs, and the key is recorded in the link's own transaction: a crash leaves both or
 *   neither. When two requests with one key race, the loser's link is rolled back and it answers the
 *   winner's.
 * @throws {ServerError} `SHL_IDEMPOTENCY_KEY_REUSED` (422) when the key came with another request; and
 *   whatever `create` throws.
 */
export const createOnce = async (
  deps: LinkDeps,
  request: CreateOnceRequest,
  create: (inTransaction?: InLinkTransaction) => Promise<CreatedLinkView>,
): Promise<CreateOnceAnswer> => {
  const { key } = request;
  if (key === undefined) return { link: await create(), replayed: false };
  const principal = ownerOf(request.principal);
  const fingerprint = fingerprintRequest(request.route, request.body);
  const passcode = request.body.passcode;
  const earlier = await findKey(deps.db, principal, key, new Date(deps.clock.now()));
  if (earlier !== undefined) {
    return { link: await replay(deps, earlier, fingerprint, passcode), replayed: true };
  }
  try {
    const link = await create(async (trx, linkId, now) => {
      const expiresAt = new Date(now.getTime() + IDEMPOTENCY_KEY_HOURS * 3_600_000);
      const claimed = await claimKey(trx, { principal, key, fingerprint, linkId, now, expiresAt });
      if (!claimed) throw new KeyTaken();
    });
    return { link, replayed: false };
  } catch (error) {
    if (!(error instanceof KeyTaken)) throw error;
    const winner = await findKey(deps.db, principal, key, new Date(deps.clock.now()));
    // The winner's row expired in between: so long a race is not a retry.
    if (winner === undefined) throw reused();
    return { link: await replay(deps, winner, fingerprint, passcode), replayed: true };
  }
};
