import type { FileStatus } from './status.js';

/** SHL manifest request body: `POST <url>`. */
export interface ManifestRequest {
  /** Who is asking; shown to the sharer in the access log. Required. */
  recipient: string;
  /** Sent when the link has flag P. */
  passcode?: string;
  /** The longest `embedded` JWE this client accepts; longer files come as `location`. */
  embeddedLengthMax?: number;
}

/** Manifest-level status (SHL STU 1): what a sender writes. */
export type ManifestStatus = 'finalized' | 'can-change' | 'no-longer-valid';
export const MANIFEST_STATUSES: readonly ManifestStatus[] = ['finalized', 'can-change', 'no-longer-valid'];

export interface ManifestFile {
  contentType: string;
  /** The compact JWE itself. */
  embedded?: string;
  /** A URL that answers GET with the JWE (`application/jose`); lives at most one hour. */
  location?: string;
  /** ISO 8601 time the file last changed. */
  lastUpdated?: string;
  /**
   * Older drafts: per-file status (`finalized`, `can-change`, `no-longer-valid`, and the ballot drafts'
   * `entered-in-error`, `retracted`). Read, never written; a string we do not know is kept as sent.
   */
  status?: FileStatus | (string & {});
  /** Older drafts: per-file FHIR version. Read, never written. */
  fhirVersion?: string;
}

export interface Manifest {
  /** As received: a status this version does not know is kept as sent (see `statusMeaning`). */
  status?: ManifestStatus | (string & {});
  files: ManifestFile[];
  /** A FHIR List resource: the only place SHL allows manifest extensions. */
  list?: Record<string, unknown>;
}
