import {
  assertSupportedVersion,
  decodeShlink,
  isShlError,
  SHLINK_PREFIX,
  type ShlPayload,
} from '@shlkit/core';

export type LinkReading =
  | { kind: 'none' }
  | { kind: 'link'; link: string; payload: ShlPayload }
  | { kind: 'invalid'; code: string; message: string };

/**
 * Reads a link from text: a bare `shlink:/...`, or a URL with `#shlink:/...` (the fragment is never sent to
 * any server, which is why the key travels there). Only what follows `shlink:/` matters.
 */
export const readLink = (text: string): LinkReading => {
  const at = text.indexOf(SHLINK_PREFIX);
  if (at < 0) return { kind: 'none' };
  const link = text.slice(at).trim();
  try {
    const payload = decodeShlink(link);
    // SHL: a receiver SHOULD NOT fetch a link whose `v` it does not support; say so before any request.
    assertSupportedVersion(payload);
    return { kind: 'link', link, payload };
  } catch (error) {
    if (isShlError(error)) return { kind: 'invalid', code: error.code, message: error.message };
    throw error;
  }
};

/** The link in `location.hash`, percent-decoded in case a mail client or scanner escaped it. */
export const readLinkFromHash = (hash: string): LinkReading => {
  let text = hash;
  try {
    text = decodeURIComponent(hash);
  } catch {
    // A stray `%` is not an escape: read the hash as it is.
  }
  return readLink(text);
};
