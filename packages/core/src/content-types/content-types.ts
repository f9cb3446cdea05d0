/** The three file types of SHL STU 1. */
export const FHIR_JSON = 'application/fhir+json';
export const SMART_HEALTH_CARD = 'application/smart-health-card';
export const SMART_API_ACCESS = 'application/smart-api-access';
/** SHL: servers SHOULD add the FHIR version to the manifest content type. */
export const FHIR_JSON_R4 = 'application/fhir+json;fhirVersion=4.0.1';

export type ShlContentType = typeof FHIR_JSON | typeof SMART_HEALTH_CARD | typeof SMART_API_ACCESS;

export const SHL_CONTENT_TYPES: readonly ShlContentType[] = [FHIR_JSON, SMART_HEALTH_CARD, SMART_API_ACCESS];

/**
 * A media type without its parameters, lower-cased: `application/fhir+json; fhirVersion=4.0.1` gives
 * `application/fhir+json`. Never throws.
 *
 * @param contentType - a Content-Type header, a manifest `contentType` or a JWE `cty`
 * @returns the bare `type/subtype` (an empty string for an empty input)
 */
export const baseContentType = (contentType: string): string =>
  (contentType.split(';')[0] ?? '').trim().toLowerCase();

/**
 * The SHL file type a (possibly parameterised) content type names. Never throws.
 * Spec: SHL STU 1, manifest `contentType` (docs/shl-protocol.md section 2, "Manifest request").
 *
 * @param contentType - a manifest `contentType`, a JWE `cty` or a Content-Type header, or undefined
 * @returns `application/fhir+json`, `application/smart-health-card` or `application/smart-api-access`;
 *   undefined for any other type
 */
export const toShlContentType = (contentType: string | undefined): ShlContentType | undefined => {
  if (contentType === undefined) return undefined;
  const base = baseContentType(contentType);
  return SHL_CONTENT_TYPES.find((type) => type === base);
};

/**
 * SHL: when neither the manifest nor `cty` says, tell the type by looking at the JSON:
 * `verifiableCredential` is a SMART Health Card, `resourceType` is FHIR, `access_token` with `aud` is API
 * access. Never throws. Spec: SHL STU 1 receiver rules (docs/shl-protocol.md section 4, "Encryption").
 *
 * @param json - a decrypted file, parsed
 * @returns its SHL file type, or undefined when the JSON looks like none of them
 */
export const detectContentType = (json: unknown): ShlContentType | undefined => {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  if (Array.isArray(record.verifiableCredential)) return SMART_HEALTH_CARD;
  if (typeof record.resourceType === 'string') return FHIR_JSON;
  if (typeof record.access_token === 'string' && typeof record.aud === 'string') return SMART_API_ACCESS;
  return undefined;
};
