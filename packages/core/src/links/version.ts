import { ShlError } from '../errors/shl-error.js';
import { type ShlPayload, SUPPORTED_SHL_VERSION } from './payload.js';

/**
 * SHL: a receiver SHOULD NOT fetch a link whose `v` it does not support. Call before any request.
 * Spec: SHL STU 1, payload `v` (docs/shl-protocol.md section 1, "The link"; section 6, "Receiver duties").
 *
 * @param payload - a decoded payload; a missing `v` means 1
 * @throws {ShlError} `SHL_UNSUPPORTED_VERSION` (field `v`) when `v` is newer than `SUPPORTED_SHL_VERSION`
 */
export const assertSupportedVersion = (payload: Pick<ShlPayload, 'v'>): void => {
  const v = payload.v ?? 1;
  if (v > SUPPORTED_SHL_VERSION) {
    throw new ShlError(
      'SHL_UNSUPPORTED_VERSION',
      `this link uses protocol version ${v}; this software supports 1`,
      {
        field: 'v',
      },
    );
  }
};
