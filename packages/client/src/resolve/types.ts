import type { FileStatus, Manifest, ShlPayload } from '@shlkit/core';
import type { FetchGuardOptions } from '../fetch/guarded-fetch.js';

export interface ResolveOptions extends FetchGuardOptions {
  /** Who is asking (SHL: required); the sharer sees it in the access log. */
  recipient: string;
  /** Sent with the manifest request; required for links with flag P. Never retried on 401. */
  passcode?: string;
  /** The longest `embedded` JWE to accept; the server sends larger files as `location`. */
  embeddedLengthMax?: number;
  /** Cap on inflated `zip: DEF` plaintext per file (core default: 16 MiB). */
  maxDecompressedLength?: number;
}

export interface ResolvedFile {
  /** The manifest's `contentType`, else the JWE `cty` header, else what the JSON looks like. */
  contentType: string;
  /** When the file last changed (manifest `lastUpdated`), if the server said. */
  lastUpdated?: string;
  /**
   * The file's own status as the server sent it (older drafts put it on each file; ballot-draft servers
   * send `entered-in-error` and `retracted` there). Any string is kept; core's `statusMeaning` says
   * whether it withdraws the file. Absent when the server gave none.
   */
  status?: FileStatus | (string & {});
  /** The decrypted file, parsed. Untrusted input: validate before use, sanitise before display. */
  json: unknown;
  /** The decrypted file as text. */
  text: string;
  /** The compact JWE as received. */
  jwe: string;
}

export interface ResolvedLink {
  payload: ShlPayload;
  /**
   * Manifest status across both manifest shapes, as sent (a status this version does not know is kept);
   * absent for `U` links and when the server did not say. `no-longer-valid` means the content is withdrawn:
   * see `isWithdrawn`, which also looks at each file's status.
   */
  status?: Manifest['status'];
  files: ResolvedFile[];
  /** Seconds the server asked to wait before the next request (`Retry-After` on a success). */
  retryAfter?: number;
}
