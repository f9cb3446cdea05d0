/**
 * The SMART Health Link payload (SHL STU 1, "Construct a SMART Health Link Payload"). Receivers ignore
 * properties they do not know; `extension` and `_`-prefixed names are reserved for extensions, so the type
 * keeps them.
 */
export interface ShlPayload {
  /** Manifest URL, or the direct-file URL when `flag` has `U`. */
  url: string;
  /** 32 random bytes, base64url: the AES-256-GCM key of every file of the link. */
  key: string;
  /** Expiry in epoch seconds: a hint for receivers; the server enforces it. */
  exp?: number;
  /** Single-letter flags in alphabetical order, from L, P and U. */
  flag?: string;
  /** At most 80 characters, shown before any passcode. */
  label?: string;
  /** Protocol version; omitted means 1. */
  v?: number;
  [extension: string]: unknown;
}

export type ShlFlag = 'L' | 'P' | 'U';

/** The highest payload `v` this implementation can fetch. */
export const SUPPORTED_SHL_VERSION = 1;

export const SHLINK_PREFIX = 'shlink:/';

/** SHL: `url` SHALL NOT exceed 128 characters. */
export const MAX_URL_LENGTH = 128;
/** SHL: `label` is at most 80 characters. */
export const MAX_LABEL_LENGTH = 80;
/** SHL: `key` is 32 bytes, which base64url-encode to exactly 43 characters. */
export const KEY_LENGTH = 43;
export const KEY_BYTES = 32;
