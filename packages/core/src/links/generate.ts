import { encodeBase64url, randomBytes } from '../encoding/base64url.js';
import { KEY_BYTES } from './payload.js';

/**
 * A fresh random link key: 32 bytes as 43 base64url characters, the A256GCM key of every file of the link
 * for its whole life. Spec: SHL STU 1, payload `key` (docs/shl-protocol.md section 1, "The link").
 */
export const generateShlKey = (): string => encodeBase64url(randomBytes(KEY_BYTES));

/**
 * A random URL path segment of 32 bytes (256 bits, 43 base64url characters): SHL asks the manifest URL to
 * carry at least 256 bits of entropy (docs/shl-protocol.md section 1, "The link", payload `url`).
 */
export const generateShlId = (): string => encodeBase64url(randomBytes(32));
