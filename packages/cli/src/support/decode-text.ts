/**
 * How a text file's bytes became text: UTF-8 (with or without a byte order mark), or UTF-16 with one.
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export type DecodedText =
  | { ok: true; text: string; encoding: TextEncodingName; bom: boolean }
  | { ok: false; problem: string; offset?: number };

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  prefix.every((byte, index) => bytes[index] === byte);

/**
 * Decodes a file people want to share. JSON is UTF-8 (RFC 8259 section 8.1), but editors on Windows add a
 * byte order mark, and some save UTF-16; both are read here, so that what is encrypted is always UTF-8
 * text without a BOM. Anything else is refused with where it goes wrong, never turned into U+FFFD: a
 * Latin-1 "Müller" shared as "M\uFFFDller" is a corrupted record that nobody notices.
 */
export const decodeText = (bytes: Uint8Array): DecodedText => {
  if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]) || startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) {
    return { ok: false, problem: 'it is UTF-32 (by its byte order mark), which shlkit does not read' };
  }
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return decodeUtf8(bytes, 3);
  if (startsWith(bytes, [0xff, 0xfe])) return decodeUtf16(bytes, 'utf-16le');
  if (startsWith(bytes, [0xfe, 0xff])) return decodeUtf16(bytes, 'utf-16be');
  // JSON text never holds a NUL byte: one among the first two bytes is UTF-16 that lost its BOM.
  if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) {
    return {
      ok: false,
      problem: 'it looks like UTF-16 without a byte order mark',
      offset: bytes[0] === 0 ? 0 : 1,
    };
  }
  return decodeUtf8(bytes, 0);
};

const decodeUtf8 = (bytes: Uint8Array, start: number): DecodedText => {
  const offset = findInvalidUtf8(bytes, start);
  if (offset >= 0) {
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return {
      ok: false,
      problem: `it is not valid UTF-8: byte 0x${byte} at offset ${offset} (line ${lineAt(bytes, offset)})`,
      offset,
    };
  }
  return {
    ok: true,
    text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start)),
    encoding: 'utf-8',
    bom: start > 0,
  };
};

const decodeUtf16 = (bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedText => {
  if (bytes.length % 2 !== 0) {
    return { ok: false, problem: `it is ${encoding.toUpperCase()} with an odd number of bytes (cut off)` };
  }
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2));
    return { ok: true, text, encoding, bom: true };
  } catch {
    // The decoder says only that it failed, not where; an unpaired surrogate is the one way UTF-16 fails.
    return { ok: false, problem: `it is not valid ${encoding.toUpperCase()} (an unpaired surrogate)` };
  }
};

/** 1-based line of a byte offset, for people who open the file in an editor. */
const lineAt = (bytes: Uint8Array, offset: number): number => {
  let line = 1;
  for (let index = 0; index < offset; index += 1) if (bytes[index] === 0x0a) line += 1;
  return line;
};

/**
 * The offset of the first byte that does not belong to well-formed UTF-8, or -1 when all of it does.
 * `TextDecoder` with `fatal: true` only says that decoding failed, not where. Well-formed sequences are
 * those of Unicode 15, Table 3-7 (no overlong forms, no surrogates, nothing above U+10FFFF); a bad
 * sequence is reported at its first byte.
 */
export const findInvalidUtf8 = (bytes: Uint8Array, start = 0): number => {
  let index = start;
  while (index < bytes.length) {
    const lead = bytes[index] ?? 0;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    // [length, lowest and highest allowed second byte] for each lead byte range.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead === 0xe0) [length, low] = [3, 0xa0];
    else if (lead === 0xed) [length, high] = [3, 0x9f];
    else if (lead >= 0xe1 && lead <= 0xef) length = 3;
    else if (lead === 0xf0) [length, low] = [4, 0x90];
    else if (lead === 0xf4) [length, high] = [4, 0x8f];
    else if (lead >= 0xf1 && lead <= 0xf3) length = 4;
    else return index;
    if (index + length > bytes.length) return index;
    const second = bytes[index + 1] ?? 0;
    if (second < low || second > high) return index;
    for (let next = 2; next < length; next += 1) {
      const byte = bytes[index + next] ?? 0;
      if (byte < 0x80 || byte > 0xbf) return index;
    }
    index += length;
  }
  return -1;
};
