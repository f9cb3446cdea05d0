import type { Principal } from '../auth/principal.js';
import { ServerError } from '../errors.js';

/** FHIR R4 id: what a `patient` claim must look like to be put in a URL path. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

/**
 * Whose summary `POST /api/links/from-fhir` fetches, and with which token (issue 14):
 * - a token of the identity provider with a SMART `patient` claim fetches that patient's summary; a
 *   `patientId` that differs is refused;
 * - with FHIR_FORWARD_USER_TOKEN, such a token is sent to the FHIR server in place of FHIR_AUTH_TOKEN, so
 *   that the FHIR server applies its own rules to the user;
 * - a token of the identity provider without a `patient` claim fetches with FHIR_AUTH_TOKEN only if
 *   forwarding is on: otherwise any user could read any patient with the server's own credentials;
 * - every other caller (accounts, API keys) names the patient and fetches with FHIR_AUTH_TOKEN, as before.
 * @throws {ServerError} `SHL_FORBIDDEN` (403) for another patient than the token's, or a patient-less
 *   token without forwarding; `SHL_VALIDATION_FAILED` (400, field `patientId`) when no patient is known
 */
export const fhirRequestFor = (
  principal: Principal,
  asked: string | undefined,
  settings: { authToken: string | undefined; forwardUserToken: boolean },
): { patientId: string; authToken: string | undefined } => {
  const userToken = principal.kind === 'oidc' && settings.forwardUserToken ? principal.token : undefined;
  const authToken = userToken ?? settings.authToken;
  if (principal.kind === 'oidc') {
    const claim = principal.patient;
    if (claim !== undefined) {
      if (!FHIR_ID.test(claim) || (asked !== undefined && asked !== claim)) {
        throw new ServerError('SHL_FORBIDDEN', 'this token is for another patient than patientId');
      }
      return { patientId: claim, authToken };
    }
    if (userToken === undefined) {
      throw new ServerError(
        'SHL_FORBIDDEN',
        'a token without a patient claim may fetch from the FHIR server only when FHIR_FORWARD_USER_TOKEN is on',
      );
    }
  }
  if (asked === undefined) {
    throw new ServerError('SHL_VALIDATION_FAILED', 'patientId is required', { field: 'patientId' });
  }
  return { patientId: asked, authToken };
};
