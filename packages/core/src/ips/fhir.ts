/** The little of FHIR R4 that core needs to know; everything else stays `unknown` until looked at. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  [field: string]: unknown;
}

export interface BundleEntry {
  fullUrl?: string;
  resource?: FhirResource;
  [field: string]: unknown;
}

export interface Bundle extends FhirResource {
  resourceType: 'Bundle';
  type?: string;
  entry?: BundleEntry[];
}

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export const LOINC = 'http://loinc.org';

/** True for a JSON object with a string `resourceType` (FHIR R4 JSON format). Never throws. */
export const isFhirResource = (value: unknown): value is FhirResource =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof (value as { resourceType?: unknown }).resourceType === 'string';
