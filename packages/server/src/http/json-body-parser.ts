import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { ServerError } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The offset of the first byte that is not part of a well-formed UTF-8 sequence (Unicode 15, table 3-7:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or -1 when every byte is. For a broken
 * sequence it is the offset of the sequence's first byte, which is where a person would look.
 */
export const invalidUtf8Offset = (bytes: Uint8Array): number => {
  const inRange = (index: number, low: number, high: number): boolean => {
    const byte = bytes[index];
    return byte !== undefined && byte >= low && byte <= high;
  };
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    let length: number;
    let secondLow = 0x80;
    let secondHigh = 0xbf;
    if (lead <= 0x7f) length = 1;
    else if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) secondLow = 0xa0; // overlong
      if (lead === 0xed) secondHigh = 0x9f; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) secondLow = 0x90; // overlong
      if (lead === 0xf4) secondHigh = 0x8f; // above U+10FFFF
    } else return i;
    if (length > 1 && !inRange(i + 1, secondLow, secondHigh)) return i;
    for (let k = 2; k < length; k++) if (!inRange(i + k, 0x80, 0xbf)) return i;
    i += length;
  }
  return -1;
};

const hex = (byte: number | undefined): string =>
  `0x${(byte ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Deepest nesting of arrays and objects a request body may have. FHIR documents nest about 15 levels; the
 * limit leaves room for any real resource while refusing bodies whose later handling (`JSON.stringify`
 * before encryption, schema validation) would run out of stack and answer 500.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * Whether the JSON text nests arrays or objects deeper than `max`. One pass over the text that skips
 * strings (brackets inside them do not count): from an opening quote it jumps with `indexOf` to the next
 * quote not escaped by an odd run of backslashes, so the long strings of a document (an embedded IPS sent
 * as text, a base64 attachment) cost a native search rather than a step per character. An unterminated
 * string ends the scan: the parse that follows refuses it.
 */
export const nestsDeeperThan = (text: string, max: number): boolean => {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x22) {
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end === -1) return false;
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      i = end;
    } else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > max) return true;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return false;
};

/**
 * Parses a JSON request body. RFC 8259 section 8.1: JSON exchanged between systems SHALL be UTF-8, so a
 * body that is not is refused (`SHL_INVALID_ENCODING`, with the offset of the first bad byte) rather than
 * decoded lossily, which would store U+FFFD where the sender meant another character (a Latin-1 "é" in
 * a label or a recipient). A byte order mark is ignored (RFC 8259 allows that). Prototype poisoning
 * (`__proto__`, `constructor.prototype`) is refused as Fastify's own parser refuses it, by the same
 * library.
 */
export const parseJsonBody = (bytes: Buffer): unknown => {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    const offset = invalidUtf8Offset(bytes);
    throw new ServerError(
      'SHL_INVALID_ENCODING',
      `the request body is not UTF-8: byte ${hex(bytes[offset])} at offset ${offset} does not start a valid sequence (JSON must be UTF-8, RFC 8259 section 8.1)`,
      { cause },
    );
  }
  if (text.trim() === '') throw new ServerError('SHL_INVALID_JSON', 'the JSON request body is empty');
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ServerError(
      'SHL_INVALID_JSON',
      `the JSON request body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  try {
    return secureJsonParse.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (cause) {
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    throw new ServerError('SHL_INVALID_JSON', `the request body is not valid JSON${reason}`, { cause });
  }
};

/**
 * Replaces Fastify's `application/json` parser (which decodes invalid UTF-8 to U+FFFD) with
 * `parseJsonBody`. No `bodyLimit` of its own: the server's and each route's limits apply as before.
 */
export const registerJsonBodyParser = (app: FastifyInstance): void => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (_request: FastifyRequest, body: Buffer, done: (error: Error | null, value?: unknown) => void) => {
      try {
        done(null, parseJsonBody(body));
      } catch (error) {
        done(error as Error);
      }
    },
  );
};
