import { isManagementApiError } from '@shlkit/api';

/** A sentence for a person: what went wrong and, where there is one, what to do. */
export const describeError = (error: unknown): string => {
  if (!isManagementApiError(error)) {
    return error instanceof Error ? error.message : 'Something went wrong.';
  }
  const field = error.field === undefined ? '' : ` (${error.field})`;
  switch (error.code) {
    case 'SHL_BAD_CREDENTIALS':
      return 'That user name and password do not match an account.';
    case 'SHL_UNAUTHORIZED':
      return 'Your session has ended. Sign in again.';
    case 'SHL_FORBIDDEN':
      return 'Your role does not allow this.';
    case 'SHL_CSRF':
      return 'The request was refused (missing security token). Reload the page and try again.';
    case 'SHL_NOT_FOUND':
      return 'No such link.';
    case 'SHL_LINK_REVOKED':
      return 'This link is revoked; it cannot be changed any more.';
    case 'SHL_NETWORK_ERROR':
      return 'The server did not answer. Check the connection and try again.';
    case 'SHL_FHIR_NOT_CONFIGURED':
      return 'This server has no FHIR server configured (FHIR_BASE_URL).';
    case 'SHL_FHIR_UPSTREAM':
      return `The FHIR server did not give the summary: ${error.message}`;
    case 'SHL_NOT_IPS':
      return `The FHIR server's answer is not an International Patient Summary: ${error.message}`;
    case 'SHL_BODY_TOO_LARGE':
      return 'The file is too large for the server.';
    default:
      return `${error.message}${field}`;
  }
};
