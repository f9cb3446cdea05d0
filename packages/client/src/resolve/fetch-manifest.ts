import { type Manifest, type ManifestRequest, parseManifest } from '@shlkit/core';
import { ShlClientError } from '../errors.js';
import { guardedFetch } from '../fetch/guarded-fetch.js';
import { parseRetryAfter } from '../fetch/retry-after.js';
import { readJson, throwForStatus } from './answer-errors.js';
import type { ResolveOptions } from './types.js';

export interface FetchedManifest {
  manifest: Manifest;
  retryAfter?: number;
}

/**
 * SHL manifest request: `POST <url>` with a JSON body `{recipient, passcode?, embeddedLengthMax?}`.
 * 401 means a wrong (or missing) passcode and is reported with `remainingAttempts`, never retried.
 */
export const fetchManifest = async (url: string, options: ResolveOptions): Promise<FetchedManifest> => {
  const body: ManifestRequest = { recipient: options.recipient };
  if (options.passcode !== undefined) body.passcode = options.passcode;
  if (options.embeddedLengthMax !== undefined) body.embeddedLengthMax = options.embeddedLengthMax;
  const response = await guardedFetch(
    url,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    options,
  );
  if (response.status === 401) {
    const remainingAttempts = readRemainingAttempts(response.body);
    const extra = remainingAttempts === undefined ? {} : { remainingAttempts };
    if (options.passcode === undefined) {
      throw new ShlClientError('SHL_PASSCODE_REQUIRED', 'the link needs a passcode', {
        status: 401,
        ...extra,
      });
    }
    const left = remainingAttempts === undefined ? '' : ` (${remainingAttempts} attempts left)`;
    throw new ShlClientError('SHL_WRONG_PASSCODE', `wrong passcode${left}`, { status: 401, ...extra });
  }
  throwForStatus(response, 'manifest');
  const json = readJson(response, 'manifest');
  let manifest: Manifest;
  try {
    manifest = parseManifest(json);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ShlClientError('SHL_INVALID_RESPONSE', `invalid manifest: ${message}`, {
      cause,
      status: response.status,
    });
  }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  return retryAfter === undefined ? { manifest } : { manifest, retryAfter };
};

const readRemainingAttempts = (body: Uint8Array): number | undefined => {
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(body));
    const value = (json as { remainingAttempts?: unknown } | null)?.remainingAttempts;
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
  } catch {
    // A 401 without a readable count is still a wrong passcode; the count is only informative.
    return undefined;
  }
};
