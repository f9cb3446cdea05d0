import type { LinkStatus } from '@shlkit/api';

/** The status as a word with a colour; the word alone carries the meaning (colour is a hint). */
export const StatusBadge = ({ status }: { status: LinkStatus }) => (
  <span class={`badge badge-${status}`}>{status}</span>
);
