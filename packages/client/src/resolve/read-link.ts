import { assertSupportedVersion, decodeShlink, isShlError, type ShlPayload } from '@shlkit/core';
import { ShlClientError } from '../errors.js';

/**
 * Decodes a bare `shlink:/...` or a viewer URL holding one. Refuses a `v` newer than we support before any
 * request is made (SHL: a receiver SHOULD NOT fetch such a link); every other payload problem that makes
 * the link unsafe or impossible to fetch is `SHL_INVALID_LINK`.
 */
export const readLink = (link: string): ShlPayload => {
  try {
    const payload = decodeShlink(link);
    assertSupportedVersion(payload);
    return payload;
  } catch (cause) {
    if (isShlError(cause, 'SHL_UNSUPPORTED_VERSION')) {
      throw new ShlClientError('SHL_UNSUPPORTED_VERSION', cause.message, { cause });
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ShlClientError('SHL_INVALID_LINK', `not a usable SMART Health Link: ${message}`, { cause });
  }
};
