import type { Link } from '@shlkit/api';

/** A date and time in the reader's locale, or a dash. */
export const formatTime = (iso: string | null): string =>
  iso === null ? '—' : new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** `expiresAt` is epoch seconds, as in the SHL payload's `exp`. */
export const formatExpiry = (expiresAt: number | null): string =>
  expiresAt === null ? 'Never' : formatTime(new Date(expiresAt * 1000).toISOString());

export const formatUses = (link: Link): string =>
  link.maxUses === null ? String(link.uses) : `${link.uses} of ${link.maxUses}`;

/** Why a link is in its status, in words, for its owner. */
export const explainStatus = (link: Link): string => {
  switch (link.status) {
    case 'active':
      return link.passcode
        ? 'Active: receivers need the passcode.'
        : 'Active: anyone with the link can open it.';
    case 'expired':
      return `Expired on ${formatExpiry(link.expiresAt)}.`;
    case 'revoked':
      return link.revokedAt !== null
        ? `Revoked on ${formatTime(link.revokedAt)}; its content is deleted.`
        : `Deactivated on ${formatTime(link.deactivatedAt)}; it can be reactivated.`;
    case 'locked':
      return 'Locked: too many wrong passcodes. Re-arm it to give the attempts back.';
    case 'used-up':
      return `Used up: it has been opened ${link.uses} times, its limit.`;
  }
};

/** SHL flags in words: L long-term, P passcode, U direct file. */
export const describeFlags = (link: Link): string => {
  const words = [
    link.longTerm ? 'long-term (L)' : null,
    link.passcode ? 'passcode (P)' : null,
    link.direct ? 'direct file (U)' : null,
    link.zeroKnowledge ? 'zero-knowledge' : null,
  ].filter((word) => word !== null);
  return words.length === 0 ? 'none' : words.join(', ');
};
