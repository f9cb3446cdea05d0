import type { ResolvedFile } from '@shlkit/client';
import {
  type Bundle,
  baseContentType,
  detectContentType,
  FHIR_JSON,
  type FhirResource,
  isFhirResource,
  isIpsDocument,
  SMART_API_ACCESS,
  SMART_HEALTH_CARD,
} from '@shlkit/core';

export type ClassifiedFile =
  | { kind: 'ips'; bundle: Bundle }
  | { kind: 'bundle'; bundle: Bundle }
  | { kind: 'fhir'; resource: FhirResource }
  | { kind: 'shc'; credentials: string[] }
  | { kind: 'api-access' }
  | { kind: 'unknown' };

/**
 * A FHIR document that is not an IPS (another Composition type): its Composition's sections still read
 * as one, so it is shown the IPS way.
 */
const isDocument = (resource: FhirResource): resource is Bundle => {
  const bundle = resource as Bundle;
  return (
    bundle.resourceType === 'Bundle' &&
    bundle.type === 'document' &&
    bundle.entry?.[0]?.resource?.resourceType === 'Composition'
  );
};

/** How to show a decrypted file: by what it is, checked against what the manifest says it is. */
export const classifyFile = (file: Pick<ResolvedFile, 'contentType' | 'json'>): ClassifiedFile => {
  const declared = baseContentType(file.contentType);
  const type =
    declared === FHIR_JSON || declared === SMART_HEALTH_CARD ? declared : detectContentType(file.json);
  if (type === FHIR_JSON && isFhirResource(file.json)) {
    if (isIpsDocument(file.json) || isDocument(file.json)) return { kind: 'ips', bundle: file.json };
    if (file.json.resourceType === 'Bundle') return { kind: 'bundle', bundle: file.json as Bundle };
    return { kind: 'fhir', resource: file.json };
  }
  if (type === SMART_HEALTH_CARD) {
    const list = (file.json as { verifiableCredential?: unknown } | null)?.verifiableCredential;
    const credentials = Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : [];
    if (credentials.length > 0) return { kind: 'shc', credentials };
  }
  if (type === SMART_API_ACCESS || declared === SMART_API_ACCESS) return { kind: 'api-access' };
  return { kind: 'unknown' };
};
