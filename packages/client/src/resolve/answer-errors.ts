import { ShlClientError } from '../errors.js';
import type { GuardedResponse } from '../fetch/guarded-fetch.js';
import { parseRetryAfter } from '../fetch/retry-after.js';

/** Turns the answers every SHL endpoint shares (404 inactive, 429 slow down, other non-2xx) into errors. */
export const throwForStatus = (response: GuardedResponse, what: string): void => {
  const { status } = response;
  if (status >= 200 && status < 300) return;
  if (status === 404) {
    throw new ShlClientError(
      'SHL_NOT_FOUND',
      `${what}: the link is not active (expired, revoked or unknown)`,
      {
        status,
      },
    );
  }
  if (status === 429) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    const wait = retryAfter === undefined ? '' : `; retry after ${retryAfter} s`;
    throw new ShlClientError('SHL_RATE_LIMITED', `${what}: too many requests${wait}`, {
      status,
      ...(retryAfter === undefined ? {} : { retryAfter }),
    });
  }
  throw new ShlClientError('SHL_INVALID_RESPONSE', `${what}: the server answered HTTP ${status}`, { status });
};

/** The body as JSON, or `SHL_INVALID_RESPONSE`. Content type is not judged: servers get it wrong. */
export const readJson = (response: GuardedResponse, what: string): unknown => {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(response.body));
  } catch (cause) {
    throw new ShlClientError('SHL_INVALID_RESPONSE', `${what}: the answer is not JSON`, {
      cause,
      status: response.status,
    });
  }
};

/** The body as text (a compact JWE is ASCII; anything else will fail decryption with a clear code). */
export const readText = (response: GuardedResponse): string => new TextDecoder().decode(response.body);
