import { checkOptionsObject } from './options-object.js';

/**
 * `Uint8Array.fromBase64` for Node versions that lack it (Node 20 to 24), decoding with Node's own
 * `Buffer` once the text has been checked as the specification checks it. jose decodes with the method
 * when it exists; without it, jose decodes with `atob` and a JavaScript loop, which on Node 20 took most
 * of decrypting a 1.8 MB file (decision 0012).
 *
 * `Buffer`'s decoder is lenient: it skips characters outside the alphabet and stops at the first `=`.
 * So every text is checked first, and anything the specification refuses throws `SyntaxError` here
 * too; `Buffer` only ever decodes text already known to be good.
 *
 * Like `provideUint8ArrayToBase64`, a function the application calls at its entry point, never a side
 * effect of an import.
 */

type LastChunkHandling = 'loose' | 'strict' | 'stop-before-partial';
type FromBase64Options = { alphabet?: unknown; lastChunkHandling?: unknown } | undefined;

interface NodeBuffer {
  write(text: string, offset: number, length: number, encoding: 'base64'): number;
}
interface NodeBufferConstructor {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): NodeBuffer;
}

/** The text as the fast path takes it: only alphabet characters, no white space, no padding. */
const PLAIN = { base64: /^[A-Za-z0-9+/]*$/, base64url: /^[A-Za-z0-9_-]*$/ } as const;
/** After white space is removed: alphabet characters, then at most the padding. */
const PADDED = { base64: /^([A-Za-z0-9+/]*)(=*)$/, base64url: /^([A-Za-z0-9_-]*)(=*)$/ } as const;
/** The spec's ASCII white space: tab, line feed, form feed, carriage return, space. */
const WHITE_SPACE = /[\t\n\f\r ]/g;
const DIGITS = {
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
} as const;

const syntaxError = (why: string) => new SyntaxError(`Uint8Array.fromBase64: ${why}`);

/**
 * Decodes `digits` (alphabet characters only) whose length leaves a remainder of 0, 2 or 3 in the last
 * group of four; in `strict` handling, the bits a short last group does not use must be zero.
 */
const decode = (
  Buffer: NodeBufferConstructor,
  digits: string,
  alphabet: 'base64' | 'base64url',
  strict: boolean,
): Uint8Array => {
  const partial = digits.length % 4;
  if (strict && partial !== 0) {
    // The last digit's low bits beyond the last whole byte: 4 of them after 2 digits, 2 after 3.
    const last = DIGITS[alphabet].indexOf(digits.charAt(digits.length - 1));
    if ((last & (partial === 2 ? 0b1111 : 0b11)) !== 0) {
      throw syntaxError('the last group has bits set beyond its last byte (strict)');
    }
  }
  const bytes = new Uint8Array(Math.floor((digits.length * 3) / 4));
  // Decoded straight into the new array: `Buffer.from(text)` could hand out a slice of Node's shared pool.
  Buffer.from(bytes.buffer, 0, bytes.length).write(digits, 0, bytes.length, 'base64');
  return bytes;
};

/**
 * The spec's FromBase64, for the whole text: the bytes, or a `SyntaxError` for text it refuses. Decoding
 * group by group as the spec does and removing white space first, then reading the padding, refuse the
 * same texts: the spec skips white space anywhere, padding included, and anything after the padding is an
 * error.
 */
const fromBase64Text = (
  Buffer: NodeBufferConstructor,
  text: string,
  alphabet: 'base64' | 'base64url',
  lastChunkHandling: LastChunkHandling,
): Uint8Array => {
  const compact = PLAIN[alphabet].test(text) ? text : text.replace(WHITE_SPACE, '');
  const parts = PADDED[alphabet].exec(compact);
  if (parts === null) {
    throw syntaxError(
      `the text holds a character outside the ${alphabet} alphabet, or text after its padding`,
    );
  }
  const digits = parts[1] ?? '';
  const padding = (parts[2] ?? '').length;
  const partial = digits.length % 4;
  if (padding === 0) {
    if (partial === 0) return decode(Buffer, digits, alphabet, false);
    // A last group without its padding: kept out, or decoded if it holds at least one byte, or refused.
    if (lastChunkHandling === 'stop-before-partial') {
      return decode(Buffer, digits.slice(0, digits.length - partial), alphabet, false);
    }
    if (lastChunkHandling === 'strict') throw syntaxError('the last group lacks its padding (strict)');
    if (partial === 1) throw syntaxError('the last group has a single character');
    return decode(Buffer, digits, alphabet, false);
  }
  // Padding completes a group of two characters (`==`) or three (`=`), and nothing else.
  if (partial < 2) throw syntaxError('padding where no group of two or three characters ends');
  const needed = 4 - partial;
  if (padding > needed) throw syntaxError('text after the padding');
  if (padding < needed) {
    // `xx=` at the very end: a group whose padding may still be coming.
    if (lastChunkHandling === 'stop-before-partial') {
      return decode(Buffer, digits.slice(0, digits.length - partial), alphabet, false);
    }
    throw syntaxError('the padding is incomplete');
  }
  return decode(Buffer, digits, alphabet, lastChunkHandling === 'strict');
};

/**
 * Makes `Uint8Array.fromBase64` (ECMAScript 2026, "Uint8Array to/from base64") available where the
 * runtime lacks it and has Node's `Buffer`. Where the method exists, or `Buffer` does not, it changes
 * nothing. The method it adds follows the specification: `alphabet` is `"base64"` (default) or
 * `"base64url"`; `lastChunkHandling` is `"loose"` (default: a last group may lack its padding, and the
 * bits it does not use are ignored), `"strict"` (padding required, unused bits zero) or
 * `"stop-before-partial"` (an incomplete last group is left out); ASCII white space is skipped anywhere.
 *
 * @returns true when it added the method, false when it left things as they were
 * @throws never; the method it adds throws `TypeError` when the text is not a string, when the options
 *   are not an object, or when an option names no value the specification knows, and `SyntaxError` for
 *   text it refuses (a character outside the alphabet, wrong or misplaced padding, a last group of one
 *   character, or, in `strict` handling, missing padding or unused bits set)
 */
export const provideUint8ArrayFromBase64 = (): boolean => {
  const Buffer = (globalThis as { Buffer?: NodeBufferConstructor }).Buffer;
  if ('fromBase64' in Uint8Array || Buffer === undefined) return false;
  Object.defineProperty(Uint8Array, 'fromBase64', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: {
      // A method with one declared parameter: the built-in's name is fromBase64 and its length 1.
      fromBase64(text: unknown, options: FromBase64Options = undefined): Uint8Array {
        if (typeof text !== 'string') throw new TypeError('Uint8Array.fromBase64 takes a string');
        checkOptionsObject(options, 'fromBase64');
        // Each option read once, in the specification's order.
        const givenAlphabet = options?.alphabet;
        const alphabet = givenAlphabet === undefined ? 'base64' : givenAlphabet;
        if (alphabet !== 'base64' && alphabet !== 'base64url') {
          throw new TypeError('alphabet must be "base64" or "base64url"');
        }
        const givenHandling = options?.lastChunkHandling;
        const handling = givenHandling === undefined ? 'loose' : givenHandling;
        if (handling !== 'loose' && handling !== 'strict' && handling !== 'stop-before-partial') {
          throw new TypeError('lastChunkHandling must be "loose", "strict" or "stop-before-partial"');
        }
        return fromBase64Text(Buffer, text, alphabet, handling);
      },
    }.fromBase64,
  });
  return true;
};
