import { encodeBase64url, randomBytes } from '../encoding/base64url.js';
import { KEY_BYTES } from './payload.js';

/** A fresh 32-byte link key, base64url (43 characters). */
export const generateShlKey = (): string => encodeBase64url(randomBytes(KEY_BYTES));

/**
 * A random URL path segment of 32 bytes (256 bits, 43 characters): SHL asks the manifest URL to carry at
 * least 256 bits of entropy.
 */
export const generateShlId = (): string => encodeBase64url(randomBytes(32));
