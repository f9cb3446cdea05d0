import { isWithdrawnStatus } from '@shlkit/core';
import type { ResolvedLink } from './types.js';

/**
 * True when the sender has withdrawn what the link returned: the manifest says `no-longer-valid`, or a
 * file says `no-longer-valid`, `entered-in-error` or `retracted` (older drafts put status on each file).
 * Receivers show such content only behind a warning, never as current. Never throws.
 * Spec: SHL STU 1, manifest `status` (docs/shl-protocol.md section 2), and older drafts' per-file status.
 *
 * @param resolved - what `resolve` or `poll` returned (its `status` and `files`)
 */
export const isWithdrawn = (resolved: Pick<ResolvedLink, 'status' | 'files'>): boolean =>
  isWithdrawnStatus(resolved.status) || resolved.files.some((file) => isWithdrawnStatus(file.status));
