import { hasFlag, isWithdrawnStatus } from '@shlkit/core';
import { isShlClientError } from '../errors.js';
import { readLink } from '../resolve/read-link.js';
import { resolve } from '../resolve/resolve.js';
import type { ResolvedFile, ResolvedLink, ResolveOptions } from '../resolve/types.js';

/** The least time between two resolutions of `poll`, in milliseconds, when the caller sets none. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;

export interface PollOptions extends ResolveOptions {
  /**
   * Least time between two resolutions. The server's `Retry-After` (on a success or a 429) makes the wait
   * longer, never shorter. Default 60 s.
   */
  minIntervalMs?: number;
  /** Waits `ms` or until `signal` aborts. Injected so that tests and schedulers control time. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/**
 * Watches an `L` link: resolves it, yields the result, then resolves again after the interval (and any
 * `Retry-After`) and yields only when a file changed (its `lastUpdated` or its decrypted content; not its
 * JWE, which gets a fresh IV at every encryption). Ends when the caller aborts (`signal`), when the link
 * becomes inactive (404) or the manifest says `no-longer-valid`, or when the content cannot change (a link
 * without `L`, or `finalized`). Other errors are thrown to the loop's caller; a 429 only lengthens the wait.
 * Spec: SHL STU 1, flag `L`, `Retry-After` and 429 (docs/shl-protocol.md sections 1, 2 and 6).
 *
 * @param link - as for `resolve`
 * @param options - as for `resolve`, plus `minIntervalMs` (default `DEFAULT_POLL_INTERVAL_MS`, 60 s) and
 *   `sleep` (waits `ms` or until the signal aborts)
 * @returns an async iterator of `ResolvedLink`s, the first at once, later ones only when a file changed
 * @throws {ShlClientError} what `resolve` throws (`SHL_INVALID_LINK` and `SHL_UNSUPPORTED_VERSION` before
 *   the first request), except `SHL_NOT_FOUND`, which ends the iteration, and `SHL_RATE_LIMITED`, which
 *   waits
 */
export async function* poll(
  link: string,
  options: PollOptions,
): AsyncGenerator<ResolvedLink, void, undefined> {
  const payload = readLink(link);
  const sleep = options.sleep ?? abortableSleep;
  const minInterval = options.minIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let previous: string | undefined;
  for (;;) {
    if (options.signal?.aborted) return;
    let waitSeconds: number | undefined;
    try {
      const resolved = await resolve(link, options);
      const fingerprint = fingerprintOf(resolved.files);
      if (fingerprint !== previous) {
        previous = fingerprint;
        yield resolved;
      }
      if (!hasFlag(payload, 'L') || resolved.status === 'finalized' || isWithdrawnStatus(resolved.status)) {
        return;
      }
      waitSeconds = resolved.retryAfter;
    } catch (error) {
      if (options.signal?.aborted) return;
      if (isShlClientError(error, 'SHL_NOT_FOUND')) return;
      if (!isShlClientError(error, 'SHL_RATE_LIMITED')) throw error;
      waitSeconds = error.retryAfter;
    }
    await sleep(Math.max(minInterval, (waitSeconds ?? 0) * 1000), options.signal);
  }
}

const fingerprintOf = (files: ResolvedFile[]): string =>
  JSON.stringify(files.map((file) => [file.contentType, file.lastUpdated ?? null, file.text]));

const abortableSleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((done) => {
    if (signal?.aborted) {
      done();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
