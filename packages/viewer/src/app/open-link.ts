import { type ResolvedLink, resolve } from '@shlkit/client';

export interface OpenRequest {
  recipient: string;
  passcode?: string;
}

/**
 * Fetches and decrypts a link in the browser with the client library. Requests go only to the link's own
 * `url` (and the `location`s its manifest names); the key never leaves the page.
 */
export const openLink = (
  link: string,
  request: OpenRequest,
  fetchImpl: typeof fetch,
): Promise<ResolvedLink> =>
  resolve(link, {
    recipient: request.recipient,
    ...(request.passcode === undefined ? {} : { passcode: request.passcode }),
    fetch: fetchImpl,
  });
