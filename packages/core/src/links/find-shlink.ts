import { decodeBase64url, fromUtf8 } from '../encoding/base64url.js';
import { ShlError } from '../errors/shl-error.js';
import { SHLINK_PREFIX } from './payload.js';

/** A link found in text that people pasted, typed or scanned. */
export interface FoundShlink {
  /**
   * The link as `shlink:/` and its payload: the prefix in lower case, line breaks taken out, nothing of
   * the surrounding text. Padding, when the sender wrote any, is kept (receivers accept it).
   */
  shlink: string;
  /** The viewer URL written in front of `#shlink:/`, without the `#`; undefined for a bare link. */
  viewerUrl: string | undefined;
}

// `shlink:/` in any case, also percent-encoded (`shlink%3A%2F`) as some mail clients and scanners leave it.
const PREFIX = /shlink(?::|%3a)(?:\/|%2f)/gi;
const PAYLOAD_CHUNK = /^[A-Za-z0-9_-]+/;
const PADDING = /^=+/;
// What may sit between two pieces of a link that was wrapped: spaces, line breaks, and the `>` that mail
// clients put in front of quoted lines.
const LINE_BREAK = /^(?:[ \t]*(?:\r\n|\r|\n)[ \t]*(?:>[ \t]*)*)+|^[ \t]+/;
// Characters that end a viewer URL when reading backwards from `#shlink:/`: white space and the brackets
// and quotes that e-mail, chat and markdown put around links.
const URL_STOP = /[\s<>()[\]{}"'`]/;
/** A link is at most about 460 characters (SHL); this leaves room for padding and long labels. */
const MAX_PAYLOAD_LENGTH = 8192;
const MAX_PIECES = 64;

/**
 * Finds the SMART Health Link in text as people pass it on: surrounded by words, followed by a full stop,
 * in `<...>`, quotes or a markdown link, broken across lines (also in a quoted e-mail), with `SHLINK:/` in
 * upper case, or behind a viewer URL (`https://host/view#shlink:/...`). SHL STU 1 ("SMART Health Link",
 * and this project's protocol digest, section 1): receivers find the `shlink:/` substring and decode what
 * follows.
 *
 * The payload ends where base64url ends. When a line break splits it, the pieces after the break are joined
 * one by one until the joined text decodes to a JSON object: a cut-off JSON object never parses, so the
 * first piece count that parses is the whole link and the words after it stay out. When no count parses,
 * the first piece is returned, for `decodeShlink` to explain what is wrong with it. With several links the
 * first one that decodes wins.
 *
 * @param text - anything people pass on; only the first 8 KiB after `shlink:/` are read as the payload
 * @returns the link (`shlink:/` in lower case, line breaks removed) and the viewer URL in front of it
 * @throws {ShlError} `SHL_INVALID_LINK` when the text holds no `shlink:/` at all.
 */
export const findShlink = (text: string): FoundShlink => {
  const found = locateShlink(text);
  if (found === undefined) {
    throw new ShlError('SHL_INVALID_LINK', `the text holds no "${SHLINK_PREFIX}"`);
  }
  return found;
};

/** `findShlink` without the throw, for callers that report problems as values (`inspectShlink`). */
export const locateShlink = (text: string): FoundShlink | undefined => {
  let first: FoundShlink | undefined;
  for (const match of text.matchAll(PREFIX)) {
    const start = match.index;
    const viewerUrl = viewerUrlBefore(text, start);
    const { payload, decodes } = readPayload(text.slice(start + match[0].length));
    const found = { shlink: `${SHLINK_PREFIX}${payload}`, viewerUrl };
    if (decodes) return found;
    first ??= found;
  }
  return first;
};

const readPayload = (rest: string): { payload: string; decodes: boolean } => {
  const pieces: string[] = [];
  let joined = '';
  let at = 0;
  for (let count = 0; count < MAX_PIECES && joined.length <= MAX_PAYLOAD_LENGTH; count += 1) {
    if (count > 0) {
      const gap = LINE_BREAK.exec(rest.slice(at));
      if (!gap) break;
      at += gap[0].length;
    }
    const piece = PAYLOAD_CHUNK.exec(rest.slice(at))?.[0] ?? '';
    at += piece.length;
    const padding = PADDING.exec(rest.slice(at))?.[0] ?? '';
    at += padding.length;
    if (piece === '' && padding === '' && count > 0) break;
    joined += piece + padding;
    pieces.push(piece + padding);
    if (decodesToObject(joined)) return { payload: joined, decodes: true };
    // Padding ends base64: nothing after it belongs to the link.
    if (padding !== '') break;
  }
  return { payload: pieces[0] ?? '', decodes: false };
};

const decodesToObject = (payload: string): boolean => {
  if (payload === '') return false;
  try {
    const json: unknown = JSON.parse(fromUtf8(decodeBase64url(payload)));
    return typeof json === 'object' && json !== null && !Array.isArray(json);
  } catch {
    // Not base64url of UTF-8 JSON (yet): the caller tries a longer piece, or reports the first one.
    return false;
  }
};

const viewerUrlBefore = (text: string, prefixAt: number): string | undefined => {
  if (text[prefixAt - 1] !== '#') return undefined;
  let start = prefixAt - 1;
  while (start > 0 && !URL_STOP.test(text[start - 1] ?? ' ')) start -= 1;
  const url = text.slice(start, prefixAt - 1);
  return url === '' ? undefined : url;
};
