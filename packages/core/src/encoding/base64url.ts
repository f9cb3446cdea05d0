import { base64url } from 'jose';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** The UTF-8 bytes of a string (a lone surrogate becomes U+FFFD, as `TextEncoder` does). Never throws. */
export const utf8 = (text: string): Uint8Array => utf8Encoder.encode(text);

/**
 * Decodes UTF-8 strictly: malformed bytes throw instead of turning into U+FFFD.
 *
 * @throws {TypeError} malformed UTF-8 (not a `ShlError`: callers say what the bytes were, e.g.
 *   `decryptFile`'s `text()` throws `SHL_INVALID_CONTENT`)
 */
export const fromUtf8 = (bytes: Uint8Array): string => utf8Decoder.decode(bytes);

/**
 * base64url without padding (RFC 4648 section 5), as SHL links, keys and JWEs use it. A string is encoded
 * as its UTF-8 bytes. Never throws.
 */
export const encodeBase64url = (input: Uint8Array | string): string => base64url.encode(input);

/**
 * Accepts base64url with or without `=` padding, as receivers must (SHL: "accept padding on input";
 * docs/shl-protocol.md section 1, "The link").
 *
 * @throws {TypeError} input that is not base64url (not a `ShlError`: check with `isBase64url` first, as
 *   `decodeShlink` does, to raise a coded error)
 */
export const decodeBase64url = (input: string): Uint8Array => base64url.decode(input.replace(/=+$/, ''));

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** True when every character is in the base64url alphabet; `=` padding is not (strip it first). */
export const isBase64url = (input: string): boolean => BASE64URL.test(input);

/**
 * Cryptographically random bytes from the Web Crypto API, available in Node 20 and browsers.
 *
 * @param bytes - how many, at most 65,536 (the Web Crypto limit per call)
 * @throws {DOMException} `QuotaExceededError` for more than 65,536 bytes
 */
export const randomBytes = (bytes: number): Uint8Array => crypto.getRandomValues(new Uint8Array(bytes));
