import {
  assertSupportedVersion,
  decodeShlink,
  type FoundShlink,
  findShlink,
  isShlError,
  type ShlPayload,
} from '@shlkit/core';

export type LinkReading =
  | { kind: 'none' }
  | { kind: 'link'; link: string; payload: ShlPayload }
  | { kind: 'invalid'; code: string; message: string };

/**
 * Reads a link from what was pasted, scanned or put in the fragment: a bare `shlink:/...`, a URL with
 * `#shlink:/...` (the fragment is never sent to any server, which is why the key travels there), or a
 * whole message holding one, as core's `findShlink` finds it (quotes, brackets, wrapped lines, capitals).
 * `none` when the text holds no link at all.
 */
export const readLink = (text: string): LinkReading => {
  let found: FoundShlink;
  try {
    found = findShlink(text);
  } catch (error) {
    // findShlink's only error: no "shlink:/" anywhere in the text.
    if (isShlError(error, 'SHL_INVALID_LINK')) return { kind: 'none' };
    throw error;
  }
  const link = found.shlink;
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
