import { encodeBase64url, encodeShlink, type ShlPayload, utf8 } from '@shlkit/core';
import { SPEC_EXAMPLE_KEY } from '../../../test-support/samples.js';

/** A link to the test server with the spec example's key, so the spec's JWE opens with it. */
export const linkTo = (url: string, extra: Partial<ShlPayload> = {}): string =>
  encodeShlink({ url, key: SPEC_EXAMPLE_KEY, ...extra });

/** A fetch that records what would have been sent and never touches the network. */
export const recordingFetch = () => {
  const calls: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    calls.push(String(input instanceof Request ? input.url : input));
    throw new TypeError('this test expects no request');
  }) as typeof globalThis.fetch;
  return { calls, fetch };
};

/** Encodes any payload as a link, without the sender checks (for links a bad sender could make). */
export const rawLink = (payload: Record<string, unknown>): string =>
  `shlink:/${encodeBase64url(utf8(JSON.stringify(payload)))}`;
