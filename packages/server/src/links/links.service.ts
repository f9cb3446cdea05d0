import {
  decryptFile,
  formatFlags,
  hasControlCharacters,
  MAX_LABEL_LENGTH,
  passcodeProblem,
  type ShlFlag,
} from '@shlkit/core';
import { recordAudit } from '../audit/record-audit.js';
import { epochSeconds } from '../clock.js';
import { ServerError } from '../errors.js';
import { revokeTickets } from '../files/file-tickets.js';
import type { Database } from '../db/schema.js';
import type { InLinkTransaction } from '../idempotency/create-once.js';
import { hashSecret } from '../passcodes/scrypt-hash.js';
import { randomToken } from '../random.js';
import { newManagementToken } from '../owners/management-tokens.js';
import { lockLinks } from './lock-links.js';
import type { LinkDeps } from './link-deps.js';
import { buildPayload, type LinkView, toLinkView } from './link-view.js';
import {
  deleteFiles,
  findLink,
  insertFiles,
  insertLink,
  type LinkSummary,
  rearmPasscode,
  removePasscode,
  setPasscode,
  updateLink,
} from './links.repository.js';
import { type ContentInput, isPreEncrypted, prepareFiles, toFileInputs } from './prepare-files.js';

export interface CreateLinkInput extends ContentInput {
  label?: string | undefined;
  passcode?: string | undefined;
  passcodeAttempts?: number | undefined;
  expiresAt?: number | undefined;
  longTerm?: boolean | undefined;
  direct?: boolean | undefined;
  maxUses?: number | null | undefined;
}

export interface UpdateLinkInput {
  label?: string | null | undefined;
  expiresAt?: number | null | undefined;
  passcode?: string | null | undefined;
  passcodeAttempts?: number | undefined;
  rearm?: boolean | undefined;
  active?: boolean | undefined;
  maxUses?: number | null | undefined;
}

/**
 * SHL: `label` is at most 80 characters. Counted as receivers count them, in UTF-16 code units
 * (JavaScript's `length`: an emoji outside the BMP is 2), which is never fewer than the code points,
 * so one comparison keeps both counts within 80.
 */
const checkLabel = (label: string): void => {
  // A label is text shown to people (in the link payload, the viewer and the admin app), and PostgreSQL
  // text cannot hold U+0000: refused here rather than failing in the database.
  if (hasControlCharacters(label)) {
    throw new ServerError(
      'SHL_INVALID_LABEL',
      'label must not contain control characters or lone UTF-16 surrogates',
      { field: 'label' },
    );
  }
  if (label.length > MAX_LABEL_LENGTH) {
    throw new ServerError(
      'SHL_INVALID_LABEL',
      `label is ${label.length} UTF-16 code units long; SHL allows at most ${MAX_LABEL_LENGTH} (an emoji outside the BMP counts 2)`,
      { field: 'label' },
    );
  }
};

/**
 * A passcode is refused if it holds control characters or lone UTF-16 surrogates (core's
 * `passcodeProblem`, which the manifest request applies to guesses too): scrypt would hash a lone
 * surrogate as U+FFFD, so two different passcodes would open the same link.
 */
const checkPasscode = (passcode: string): void => {
  const problem = passcodeProblem(passcode);
  if (problem !== undefined) throw new ServerError('SHL_INVALID_PASSCODE', problem, { field: 'passcode' });
};

const checkExpiry = (expiresAt: number, nowSeconds: number): void => {
  // Ten-digit seconds reach the year 2286; a larger number is almost surely milliseconds.
  if (expiresAt > 1e11) {
    throw new ServerError('SHL_INVALID_EXPIRY', 'expiresAt is epoch seconds, not milliseconds', {
      field: 'expiresAt',
    });
  }
  if (expiresAt <= nowSeconds) {
    throw new ServerError('SHL_INVALID_EXPIRY', 'expiresAt is in the past', { field: 'expiresAt' });
  }
};

const checkDirect = (flags: Set<ShlFlag>, fileCount: number): void => {
  // SHL: U is one file fetched by GET; it cannot carry a passcode.
  if (flags.has('U') && flags.has('P')) {
    throw new ServerError('SHL_FLAG_CONFLICT', 'a direct (U) link cannot have a passcode', {
      field: 'direct',
    });
  }
  if (flags.has('U') && fileCount !== 1) {
    throw new ServerError('SHL_FLAG_CONFLICT', `a direct (U) link has exactly one file, not ${fileCount}`, {
      field: 'direct',
    });
  }
};

/** The link, read through `db` (a transaction's, or the pool by default). @throws SHL_NOT_FOUND */
const requireLink = async (deps: LinkDeps, id: string, db: Database = deps.db): Promise<LinkSummary> => {
  const link = await findLink(db, id, new Date(deps.clock.now()));
  if (link === undefined) throw new ServerError('SHL_NOT_FOUND', 'no link with this id');
  return link;
};

const view = (deps: LinkDeps, link: LinkSummary, knownKey?: Uint8Array): LinkView =>
  toLinkView(link, { publicBaseUrl: deps.publicBaseUrl(), keys: deps.keys }, knownKey);

/**
 * Who asks for a change, for the audit trail: given, the change and its audit row commit in one
 * transaction; left out (the demo link, scripts calling the service), no row is written. The actor of a
 * create is also the new link's `owner`.
 */
export interface LinkAudit {
  actor: string;
  /** More to record with the change (e.g. where new content came from); never a secret. */
  details?: Record<string, unknown>;
}

/**
 * Creates a link and its files in one transaction: a failure leaves nothing behind. The answer carries
 * the link's management token, which is shown this once (only its hash is stored). `inTransaction` runs in
 * that transaction after the link is written (idempotency/create-once.ts records its key there); if it
 * throws, nothing is written.
 */
export const createLink = async (
  deps: LinkDeps,
  input: CreateLinkInput,
  audit?: LinkAudit,
  inTransaction?: InLinkTransaction,
): Promise<LinkView & { managementToken: string }> => {
  const now = new Date(deps.clock.now());
  if (input.label !== undefined) checkLabel(input.label);
  if (input.expiresAt !== undefined) checkExpiry(input.expiresAt, epochSeconds(deps.clock));
  if (input.passcode !== undefined) checkPasscode(input.passcode);
  const inputs = toFileInputs(input);
  const flags = new Set<ShlFlag>();
  if (input.longTerm) flags.add('L');
  if (input.passcode !== undefined) flags.add('P');
  if (input.direct) flags.add('U');
  checkDirect(flags, inputs.length);
  if (input.passcodeAttempts !== undefined && input.passcode === undefined) {
    throw new ServerError('SHL_VALIDATION_FAILED', 'passcodeAttempts needs a passcode', {
      field: 'passcodeAttempts',
    });
  }

  const zeroKnowledge = isPreEncrypted(inputs);
  const key = zeroKnowledge ? null : deps.random(32);
  const files = await prepareFiles(inputs, key, deps.settings);
  const id = randomToken(deps.random);
  const passcode =
    input.passcode === undefined
      ? null
      : {
          hash: await hashSecret(input.passcode, deps.random),
          attempts: input.passcodeAttempts ?? deps.settings.defaultPasscodeAttempts,
        };
  const fileIds = files.map(() => randomToken(deps.random, 16));
  const management = newManagementToken(deps.random);
  const record = {
    id,
    label: input.label ?? null,
    flags: formatFlags(flags),
    wrappedKey: key === null ? null : deps.keys.wrap(id, key),
    expiresAt: input.expiresAt ?? null,
    passcode,
    maxUses: input.maxUses ?? null,
    owner: audit?.actor ?? null,
    managementTokenHash: management.hash,
    at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertLink(trx, record);
    await insertFiles(trx, id, files, fileIds, now);
    if (audit !== undefined) {
      await recordAudit(trx, { at: now, actor: audit.actor, action: 'link.created', linkId: id });
    }
    if (inTransaction !== undefined) await inTransaction(trx, id, now);
  });
  deps.metrics?.linkCreated();
  // The key is at hand: the view does not unwrap what was wrapped a moment ago.
  return { ...view(deps, await requireLink(deps, id), key ?? undefined), managementToken: management.token };
};

export const getLink = async (deps: LinkDeps, id: string): Promise<LinkView> =>
  view(deps, await requireLink(deps, id));

/** Applies every requested change in one transaction. */
export const updateLinkSettings = async (
  deps: LinkDeps,
  id: string,
  input: UpdateLinkInput,
  audit?: LinkAudit,
): Promise<LinkView> => {
  const link = await requireLink(deps, id);
  if (link.revokedAt !== null) throw new ServerError('SHL_LINK_REVOKED', 'this link was deleted for good');
  const now = new Date(deps.clock.now());
  if (typeof input.label === 'string') checkLabel(input.label);
  if (typeof input.expiresAt === 'number') checkExpiry(input.expiresAt, epochSeconds(deps.clock));
  if (typeof input.passcode === 'string') checkPasscode(input.passcode);

  const flags = new Set([...link.flags] as ShlFlag[]);
  if (input.passcode === null) flags.delete('P');
  if (typeof input.passcode === 'string') flags.add('P');
  checkDirect(flags, link.fileCount);
  const hasPasscode = flags.has('P');
  if ((input.passcodeAttempts !== undefined || input.rearm) && !hasPasscode) {
    throw new ServerError('SHL_VALIDATION_FAILED', 'this link has no passcode to re-arm', {
      field: input.rearm ? 'rearm' : 'passcodeAttempts',
    });
  }
  const newHash =
    typeof input.passcode === 'string' ? await hashSecret(input.passcode, deps.random) : undefined;

  await deps.db.transaction().execute(async (trx) => {
    await updateLink(
      trx,
      id,
      {
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
        ...(input.active !== undefined ? { deactivatedAt: input.active ? null : now } : {}),
        ...(input.maxUses !== undefined ? { maxUses: input.maxUses } : {}),
        flags: formatFlags(flags),
      },
      now,
    );
    if (input.passcode === null) await removePasscode(trx, id);
    if (input.passcode !== undefined) await revokeTickets(trx, id);
    const attempts =
      input.passcodeAttempts ?? link.passcode?.attempts ?? deps.settings.defaultPasscodeAttempts;
    if (newHash !== undefined) await setPasscode(trx, id, { hash: newHash, attempts }, now);
    else if (input.passcodeAttempts !== undefined || input.rearm) await rearmPasscode(trx, id, attempts, now);
    if (audit !== undefined) {
      // The names of the changed fields only: never a passcode.
      const changed = Object.keys(input).filter(
        (field) => input[field as keyof UpdateLinkInput] !== undefined,
      );
      await recordAudit(trx, {
        at: now,
        actor: audit.actor,
        action: 'link.changed',
        linkId: id,
        details: { changed },
      });
    }
  });
  return view(deps, await requireLink(deps, id));
};

/** Revokes for good: the ciphertext is purged in the same transaction; receivers get 404 from now on. */
export const deleteLink = async (deps: LinkDeps, id: string, audit?: LinkAudit): Promise<void> => {
  const link = await requireLink(deps, id);
  const now = new Date(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    // The link's row first, as every serving transaction takes it (links/lock-links.ts): then its files
    // and tickets, which a manifest locks after the link, are never taken in the other order.
    await lockLinks(trx, [id]);
    if (link.revokedAt === null) await updateLink(trx, id, { revokedAt: now }, now);
    await deleteFiles(trx, id);
    if (audit !== undefined) {
      await recordAudit(trx, { at: now, actor: audit.actor, action: 'link.revoked', linkId: id });
    }
  });
};

/**
 * The link whose content may be replaced: it exists, is not deleted and is long-term (SHL: only an L link's
 * content may change). Checked before any new content is fetched, and again by `replaceLinkFiles`, both
 * before encrypting and under the link's lock (pass its transaction as `db`).
 * @throws {ServerError} `SHL_NOT_FOUND`; `SHL_LINK_REVOKED`, `SHL_NOT_LONG_TERM` (409)
 */
export const requireReplaceableLink = async (
  deps: LinkDeps,
  id: string,
  db: Database = deps.db,
): Promise<LinkSummary> => {
  const link = await requireLink(deps, id, db);
  if (link.revokedAt !== null) throw new ServerError('SHL_LINK_REVOKED', 'this link was deleted for good');
  if (!link.flags.includes('L')) {
    throw new ServerError('SHL_NOT_LONG_TERM', 'only long-term (L) links can change their content');
  }
  return link;
};

/**
 * Replaces the content of a long-term link. The key stays (it is in every copy of the link); every file is
 * encrypted afresh, so every IV is new, and `lastUpdated` moves.
 */
export const replaceLinkFiles = async (
  deps: LinkDeps,
  id: string,
  input: ContentInput,
  audit?: LinkAudit,
): Promise<LinkView> => {
  const link = await requireReplaceableLink(deps, id);
  const inputs = toFileInputs(input);
  checkDirect(new Set([...link.flags] as ShlFlag[]), inputs.length);
  const preEncrypted = isPreEncrypted(inputs);
  const key = link.wrappedKey === null ? null : deps.keys.unwrap(id, link.wrappedKey);
  const files = await prepareFiles(inputs, key, deps.settings);
  if (preEncrypted && key !== null) {
    // A file the link's key cannot open would break the link for every receiver.
    for (const [index, file] of files.entries()) {
      try {
        await decryptFile(file.jwe, key);
      } catch (cause) {
        throw new ServerError('SHL_INVALID_JWE', 'this file was not encrypted with the link key', {
          field: `files[${index}].jwe`,
          cause,
        });
      }
    }
  }
  const now = new Date(deps.clock.now());
  const fileIds = files.map(() => randomToken(deps.random, 16));
  await deps.db.transaction().execute(async (trx) => {
    // The link's row first, as every serving transaction takes it (links/lock-links.ts). A manifest that
    // issues `location` tickets locks the link and then references its files; deleting the files first
    // would take the same locks in the other order, and PostgreSQL would end one of the two (40P01).
    await lockLinks(trx, [id]);
    // Deleted for good while the new files were encrypted: its ciphertext must not come back.
    await requireReplaceableLink(deps, id, trx);
    await deleteFiles(trx, id);
    await insertFiles(trx, id, files, fileIds, now);
    await updateLink(trx, id, {}, now);
    if (audit !== undefined) {
      await recordAudit(trx, {
        at: now,
        actor: audit.actor,
        action: 'link.content-replaced',
        linkId: id,
        details: { fileCount: files.length, ...audit.details },
      });
    }
  });
  return view(deps, await requireLink(deps, id));
};

/** The viewer URL of a link, for its QR code. */
export const linkViewerUrl = async (deps: LinkDeps, id: string): Promise<string> => {
  const link = await requireLink(deps, id);
  if (link.revokedAt !== null) throw new ServerError('SHL_LINK_REVOKED', 'this link was deleted for good');
  if (link.wrappedKey === null) {
    throw new ServerError(
      'SHL_ZERO_KNOWLEDGE',
      'the server never had the key of this link: the creator makes its QR',
    );
  }
  const { viewerUrl } = buildPayload(link, deps.publicBaseUrl(), deps.keys.unwrap(id, link.wrappedKey));
  return viewerUrl ?? '';
};
