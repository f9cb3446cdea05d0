import { hasFlag, type Manifest, type ManifestFile, manifestStatus, type ShlPayload } from '@shlkit/core';
import { ShlClientError } from '../errors.js';
import { guardedFetch } from '../fetch/guarded-fetch.js';
import { readText, throwForStatus } from './answer-errors.js';
import { fetchManifest } from './fetch-manifest.js';
import { openFile } from './open-file.js';
import { readLink } from './read-link.js';
import { assertWebCrypto } from './web-crypto.js';
import type { ResolvedFile, ResolvedLink, ResolveOptions } from './types.js';

/**
 * Resolves a SMART Health Link end to end: decode, fetch (direct file for `U`, manifest otherwise, then any
 * `location` files), decrypt and parse every file. Errors are `ShlClientError`s with a code to switch on.
 * Spec: SHL STU 1 as a receiving application (docs/shl-protocol.md sections 2 "Manifest request", 3 "Direct
 * file", 4 "Encryption" and 6 "Receiver duties"): a passcode is never retried, an expired `location` gets
 * one new manifest, a 429 is not waited out (see `poll`).
 *
 * @param link - a `shlink:/...`, a viewer URL with `#shlink:/...`, or text that holds one
 * @param options - `recipient` (required: who is asking), `passcode` (for flag P), `embeddedLengthMax`
 *   (characters), `maxDecompressedLength` (bytes per file, default 16 MiB), and the fetch guard:
 *   `fetch`, `lookup`, `timeoutMs` (default `DEFAULT_TIMEOUT_MS`, 30 s), `maxResponseBytes` (default
 *   `DEFAULT_MAX_RESPONSE_BYTES`, 32 MiB), `allowHttp`, `allowPrivateNetwork`, `signal`
 * @returns the payload, the manifest status (as sent), `retryAfter` (seconds, when the server sent one),
 *   and every file decrypted: content type, `lastUpdated`, file status, text, parsed JSON and the JWE
 * @throws {ShlClientError} before any request: `SHL_INVALID_LINK`, `SHL_UNSUPPORTED_VERSION`,
 *   `SHL_INVALID_OPTIONS` (no recipient), `SHL_CRYPTO_UNAVAILABLE`, `SHL_PASSCODE_REQUIRED` (flag P and no
 *   passcode), `SHL_BLOCKED_ADDRESS`; from the server: `SHL_NOT_FOUND` (404: not active),
 *   `SHL_PASSCODE_REQUIRED` / `SHL_WRONG_PASSCODE` (401, with `remainingAttempts`), `SHL_RATE_LIMITED` (429,
 *   with `retryAfter`), `SHL_INVALID_RESPONSE`, `SHL_RESPONSE_TOO_LARGE`, `SHL_NETWORK_ERROR`; from the
 *   files: `SHL_DECRYPT_FAILED`, `SHL_RESPONSE_TOO_LARGE` (inflates past the cap), `SHL_INVALID_RESPONSE`
 *   (not JSON). Every error with an HTTP answer carries its `status`.
 */
export const resolve = async (link: string, options: ResolveOptions): Promise<ResolvedLink> => {
  const payload = readLink(link);
  if (typeof options?.recipient !== 'string' || options.recipient === '') {
    // SHL: `recipient` is required in every request; refuse here rather than send a request a server rejects.
    throw new ShlClientError('SHL_INVALID_OPTIONS', 'resolve() needs options.recipient: who is asking');
  }
  // Before any request: without WebCrypto nothing could be decrypted, yet the server would log an access.
  assertWebCrypto(globalThis.crypto);
  if (hasFlag(payload, 'U')) return resolveDirectFile(payload, options);
  if (hasFlag(payload, 'P') && options.passcode === undefined) {
    throw new ShlClientError('SHL_PASSCODE_REQUIRED', 'the link is protected by a passcode (flag P)');
  }
  return resolveManifest(payload, options);
};

/** SHL flag U: `GET <url>?recipient=...` answers the single JWE; never POST, and any content type is fine. */
const resolveDirectFile = async (payload: ShlPayload, options: ResolveOptions): Promise<ResolvedLink> => {
  const url = new URL(payload.url);
  url.searchParams.append('recipient', options.recipient);
  const response = await guardedFetch(url.href, { method: 'GET' }, options);
  throwForStatus(response, 'direct file');
  const file = await openFile({ jwe: readText(response), key: payload.key, ...decryptOptions(options) });
  return { payload, files: [file] };
};

const resolveManifest = async (payload: ShlPayload, options: ResolveOptions): Promise<ResolvedLink> => {
  let fetched = await fetchManifest(payload.url, options);
  let files: ResolvedFile[];
  try {
    files = await openManifestFiles(fetched.manifest, payload, options);
  } catch (error) {
    if (!(error instanceof LocationGone)) throw error;
    // SHL: a receiver that finds a `location` expired (they live at most an hour, may be single-use) fetches
    // the manifest again. Once: a second failure means the server cannot serve the file.
    fetched = await fetchManifest(payload.url, options);
    try {
      files = await openManifestFiles(fetched.manifest, payload, options);
    } catch (again) {
      if (again instanceof LocationGone) {
        throw new ShlClientError('SHL_NOT_FOUND', 'a file location stayed unavailable after a new manifest', {
          status: again.status,
        });
      }
      throw again;
    }
  }
  const result: ResolvedLink = { payload, files };
  const status = manifestStatus(fetched.manifest);
  if (status !== undefined) result.status = status;
  if (fetched.retryAfter !== undefined) result.retryAfter = fetched.retryAfter;
  return result;
};

/**
 * A `location` answered a 4xx other than 429: its ticket expired or was used up. Deployed servers say so
 * with 401, 403, 404 or 410 alike, so every client error counts; a 429 is "slow down", not "gone".
 */
class LocationGone extends Error {
  constructor(readonly status: number) {
    super(`location answered ${status}`);
  }
}

const openManifestFiles = async (
  manifest: Manifest,
  payload: ShlPayload,
  options: ResolveOptions,
): Promise<ResolvedFile[]> => {
  const files: ResolvedFile[] = [];
  // One at a time: location tickets may be single-use and servers rate-limit; order is kept.
  for (const entry of manifest.files) files.push(await openManifestFile(entry, payload, options));
  return files;
};

const openManifestFile = async (
  entry: ManifestFile,
  payload: ShlPayload,
  options: ResolveOptions,
): Promise<ResolvedFile> => {
  const jwe = entry.embedded ?? (await fetchLocation(entry.location ?? '', options));
  const file = await openFile({
    jwe,
    key: payload.key,
    contentType: entry.contentType,
    ...(entry.lastUpdated === undefined ? {} : { lastUpdated: entry.lastUpdated }),
    ...decryptOptions(options),
  });
  if (entry.status !== undefined) file.status = entry.status;
  return file;
};

const fetchLocation = async (location: string, options: ResolveOptions): Promise<string> => {
  const response = await guardedFetch(location, { method: 'GET' }, options);
  if (response.status >= 400 && response.status < 500 && response.status !== 429) {
    throw new LocationGone(response.status);
  }
  throwForStatus(response, 'file location');
  return readText(response);
};

const decryptOptions = (options: ResolveOptions) =>
  options.maxDecompressedLength === undefined ? {} : { maxDecompressedLength: options.maxDecompressedLength };
