import type { ManifestStatus } from './manifest.js';

/**
 * Statuses that say the shared information must not be taken as current: `no-longer-valid` (SHL STU 1, on
 * the manifest or, in older drafts, on a file) and the per-file `entered-in-error` and `retracted` that
 * servers built on ballot drafts still send. Receivers warn before they show such content.
 */
export const WITHDRAWN_STATUSES = ['no-longer-valid', 'entered-in-error', 'retracted'] as const;
export type WithdrawnStatus = (typeof WITHDRAWN_STATUSES)[number];

/** Per-file status as older drafts send it: the manifest statuses and the two ballot-draft ones. */
export type FileStatus = ManifestStatus | WithdrawnStatus;

/**
 * What a received status means for someone about to read the content:
 * - `current`: none given, `finalized` or `can-change`;
 * - `withdrawn`: one of `WITHDRAWN_STATUSES`;
 * - `unknown`: any other string, kept as sent (a later spec version may add statuses; showing the content
 *   as current would hide what the server meant, refusing it would lose the data).
 */
export type StatusMeaning = 'current' | 'withdrawn' | 'unknown';

/**
 * What a manifest or file status means for a reader (see `StatusMeaning`). Never throws.
 * Spec: SHL STU 1, manifest `status` (docs/shl-protocol.md section 2), and older drafts' per-file status.
 *
 * @param status - a status as sent, or undefined when none was
 */
export const statusMeaning = (status: string | undefined): StatusMeaning => {
  if (status === undefined || status === 'finalized' || status === 'can-change') return 'current';
  return (WITHDRAWN_STATUSES as readonly string[]).includes(status) ? 'withdrawn' : 'unknown';
};

/** True for a status in `WITHDRAWN_STATUSES`: receivers warn before showing such content. Never throws. */
export const isWithdrawnStatus = (status: string | undefined): boolean =>
  statusMeaning(status) === 'withdrawn';
