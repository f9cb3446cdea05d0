import { base64url } from 'jose';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (text: string): Uint8Array => utf8Encoder.encode(text);

/** Decodes UTF-8 strictly: malformed bytes throw instead of turning into U+FFFD. */
export const fromUtf8 = (bytes: Uint8Array): string => utf8Decoder.decode(bytes);

export const encodeBase64url = (input: Uint8Array | string): string => base64url.encode(input);

/** Accepts base64url with or without `=` padding, as receivers must (SHL: "accept padding on input"). */
export const decodeBase64url = (input: string): Uint8Array => base64url.decode(input.replace(/=+$/, ''));

const BASE64URL = /^[A-Za-z0-9_-]*$/;
export const isBase64url = (input: string): boolean => BASE64URL.test(input);

/** `bytes` cryptographically random bytes from the Web Crypto API, available in Node 20 and browsers. */
export const randomBytes = (bytes: number): Uint8Array => crypto.getRandomValues(new Uint8Array(bytes));
