import { decodeBase64url, isBase64url } from '../encoding/base64url.js';
import { ShlError } from '../errors/shl-error.js';
import { KEY_BYTES, KEY_LENGTH } from '../links/payload.js';

/** The link key as the 32 bytes A256GCM needs; anything else is refused before jose sees it. */
export const toKeyBytes = (key: string | Uint8Array): Uint8Array => {
  if (typeof key === 'string') {
    if (key.length !== KEY_LENGTH || !isBase64url(key)) {
      throw new ShlError('SHL_INVALID_KEY', 'the key must be 43 base64url characters (32 bytes)', {
        field: 'key',
      });
    }
    return decodeBase64url(key);
  }
  if (key.length !== KEY_BYTES) {
    throw new ShlError('SHL_INVALID_KEY', `the key must be 32 bytes, not ${key.length}`, { field: 'key' });
  }
  return key;
};
