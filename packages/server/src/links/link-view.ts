import type { Link, LinkPayload } from '@shlkit/api';
import { encodeBase64url, encodeShlink, type ShlPayload } from '@shlkit/core';
import type { KeyWrapper } from '../key-wrapping/key-wrapper.js';
import type { LinkSummary } from './links.repository.js';

/**
 * The SHL payload as the owner sees it (`key` absent for zero-knowledge links), and what the management
 * API says about a link: the contract's own types (`@shlkit/api`), so that the view cannot drift from it.
 * `status` is the access rule's verdict when the link was read (access-rule/access-rule.ts).
 */
export type PayloadView = LinkPayload;
export type LinkView = Link;

export interface ViewContext {
  publicBaseUrl: string;
  keys: KeyWrapper;
}

export const linkUrl = (publicBaseUrl: string, id: string): string => `${publicBaseUrl}/shl/${id}`;
export const viewerBase = (publicBaseUrl: string): string => `${publicBaseUrl}/view`;

/** The payload (and, when the key is at hand, the link texts) of a link. */
export const buildPayload = (
  link: Pick<LinkSummary, 'id' | 'flags' | 'label' | 'expiresAt'>,
  publicBaseUrl: string,
  key: Uint8Array | null,
): { payload: PayloadView; shlink?: string; viewerUrl?: string } => {
  const payload: PayloadView = { url: linkUrl(publicBaseUrl, link.id) };
  if (key !== null) payload.key = encodeBase64url(key);
  if (link.expiresAt !== null) payload.exp = link.expiresAt;
  if (link.flags !== '') payload.flag = link.flags;
  if (link.label !== null) payload.label = link.label;
  if (key === null) return { payload };
  const full = payload as ShlPayload;
  return {
    payload,
    shlink: encodeShlink(full),
    viewerUrl: encodeShlink(full, { viewerUrl: viewerBase(publicBaseUrl) }),
  };
};

/**
 * The management API's view of a link. `knownKey` is the link key when the caller holds it already (the
 * create that just made and wrapped it), so that it is not unwrapped again; otherwise it is unwrapped
 * from the row.
 */
export const toLinkView = (link: LinkSummary, context: ViewContext, knownKey?: Uint8Array): LinkView => {
  const key =
    link.wrappedKey === null || link.revokedAt !== null
      ? null
      : (knownKey ?? context.keys.unwrap(link.id, link.wrappedKey));
  const texts = buildPayload(link, context.publicBaseUrl, key);
  return {
    id: link.id,
    url: texts.payload.url,
    ...(texts.shlink === undefined ? {} : { shlink: texts.shlink }),
    ...(texts.viewerUrl === undefined ? {} : { viewerUrl: texts.viewerUrl }),
    payload: texts.payload,
    label: link.label,
    flag: link.flags,
    status: link.status,
    longTerm: link.flags.includes('L'),
    direct: link.flags.includes('U'),
    zeroKnowledge: link.wrappedKey === null,
    passcode: link.passcode !== null,
    passcodeAttempts: link.passcode?.attempts ?? null,
    remainingAttempts: link.passcode?.remaining ?? null,
    uses: link.uses,
    maxUses: link.maxUses,
    expiresAt: link.expiresAt,
    createdAt: link.createdAt.toISOString(),
    updatedAt: link.updatedAt.toISOString(),
    deactivatedAt: link.deactivatedAt?.toISOString() ?? null,
    revokedAt: link.revokedAt?.toISOString() ?? null,
    fileCount: link.fileCount,
    accessCount: link.accessCount,
    lastAccessAt: link.lastAccessAt?.toISOString() ?? null,
    // Removed for callers who reach only their own links (owners/link-reach.ts `presentLink`).
    owner: link.owner,
  };
};
