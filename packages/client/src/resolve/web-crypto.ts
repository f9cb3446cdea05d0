import { ShlClientError } from '../errors.js';

/**
 * Refuses to start when the runtime has no WebCrypto `crypto.subtle`, which every SHL file needs
 * (AES-256-GCM). Browsers offer it only in a secure context (https://, or http://localhost): a phone that
 * opens a viewer at `http://192.168.x.y` would fetch the manifest, leave an `ok` line in the sharer's
 * access log, and then fail to decrypt as if the link were damaged. Checked before any request.
 *
 * @throws {ShlClientError} `SHL_CRYPTO_UNAVAILABLE` when `cryptoImpl.subtle` is missing.
 */
export const assertWebCrypto = (cryptoImpl: Partial<Crypto> | undefined): void => {
  if (typeof cryptoImpl?.subtle?.decrypt === 'function') return;
  throw new ShlClientError(
    'SHL_CRYPTO_UNAVAILABLE',
    'this runtime has no WebCrypto (crypto.subtle); browsers offer it only to pages served over https:// ' +
      '(or from localhost), so nothing was fetched',
  );
};
