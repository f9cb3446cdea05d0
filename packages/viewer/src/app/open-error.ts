import { isShlClientError } from '@shlkit/client';
import { isShlError } from '@shlkit/core';
import type { Messages } from '../i18n/en.js';

export interface OpenErrorView {
  /** Inactive links get their own page rather than a message under the form. */
  inactive: boolean;
  /** The wrong-passcode message asks for the passcode again. */
  passcode: boolean;
  message: string;
  detail: string;
}

/** One clear, specific message per error code; the original message stays available as detail. */
export const describeOpenError = (error: unknown, t: Messages): OpenErrorView => {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const view = (message: string, extra: Partial<OpenErrorView> = {}): OpenErrorView => ({
    inactive: false,
    passcode: false,
    message,
    detail,
    ...extra,
  });
  if (isShlClientError(error)) {
    switch (error.code) {
      case 'SHL_NOT_FOUND':
        return view(t.errors.inactive, { inactive: true });
      case 'SHL_WRONG_PASSCODE':
        return view(t.errors.wrongPasscode(error.remainingAttempts), { passcode: true });
      case 'SHL_PASSCODE_REQUIRED':
        return view(t.errors.passcodeRequired, { passcode: true });
      case 'SHL_RATE_LIMITED':
        return view(t.errors.rateLimited(error.retryAfter));
      case 'SHL_UNSUPPORTED_VERSION':
        return view(t.errors.unsupportedVersion);
      case 'SHL_DECRYPT_FAILED':
        return view(t.errors.decrypt);
      case 'SHL_CRYPTO_UNAVAILABLE':
        return view(t.errors.cryptoUnavailable);
      case 'SHL_INVALID_LINK':
        return view(t.errors.invalidLink);
      case 'SHL_NETWORK_ERROR':
      case 'SHL_BLOCKED_ADDRESS':
        return view(t.errors.network);
      case 'SHL_RESPONSE_TOO_LARGE':
        return view(t.errors.tooLarge);
      case 'SHL_INVALID_RESPONSE':
      case 'SHL_INVALID_SHC':
        return view(t.errors.invalidResponse);
      case 'SHL_INVALID_OPTIONS':
        // The unlock form requires a recipient, so this is a bug of the viewer's, not the link's.
        return view(t.errors.unknown);
    }
  }
  if (isShlError(error)) {
    switch (error.code) {
      case 'SHL_UNSUPPORTED_VERSION':
        return view(t.errors.unsupportedVersion);
      case 'SHL_DECRYPT_FAILED':
      case 'SHL_INVALID_JWE':
        return view(t.errors.decrypt);
      case 'SHL_DECOMPRESSED_TOO_LARGE':
        return view(t.errors.tooLarge);
      case 'SHL_INVALID_CONTENT':
      case 'SHL_INVALID_CONTENT_TYPE':
        return view(t.errors.notFhir);
      default:
        return view(t.errors.invalidLink);
    }
  }
  return view(t.errors.unknown);
};

/** The message for a link that cannot even be decoded. */
export const describeLinkProblem = (code: string, t: Messages): string =>
  code === 'SHL_UNSUPPORTED_VERSION' ? t.errors.unsupportedVersion : t.errors.invalidLink;
