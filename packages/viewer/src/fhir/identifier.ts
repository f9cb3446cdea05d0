import { formatConcept, isObject, text } from './format.js';

// Identifier systems a clinician recognises by name. The names are proper nouns or acronyms used as
// such in every language, so they are not translated. Sources: FHIR R4 "Known Identifier Systems"
// (identifier-registry), HL7 OID registry, and the national FHIR base profiles (AU, CH, DE, FR, NL, NZ, UK).
const IDENTIFIER_SYSTEMS: Record<string, string> = {
  'http://hl7.org/fhir/sid/us-ssn': 'SSN (US)',
  'urn:oid:2.16.840.1.113883.4.1': 'SSN (US)',
  'http://hl7.org/fhir/sid/us-npi': 'NPI (US)',
  'urn:oid:2.16.840.1.113883.4.6': 'NPI (US)',
  'http://hl7.org/fhir/sid/us-medicare': 'Medicare (US)',
  'http://hl7.org/fhir/sid/us-mbi': 'Medicare Beneficiary Identifier (US)',
  'https://fhir.nhs.uk/Id/nhs-number': 'NHS number (UK)',
  'http://ns.electronichealth.net.au/id/hi/ihi/1.0': 'IHI (AU)',
  'http://ns.electronichealth.net.au/id/medicare-number': 'Medicare (AU)',
  'https://standards.digital.health.nz/ns/nhi-id': 'NHI (NZ)',
  'urn:oid:2.16.756.5.32': 'AHV/AVS (CH)',
  'urn:oid:2.16.840.1.113883.2.4.6.3': 'BSN (NL)',
  'http://fhir.nl/fhir/NamingSystem/bsn': 'BSN (NL)',
  'http://fhir.de/sid/gkv/kvid-10': 'KVNR (DE)',
  'http://fhir.de/NamingSystem/gkv/kvid-10': 'KVNR (DE)',
  'urn:oid:1.2.250.1.213.1.4.8': 'INS-NIR (FR)',
  'urn:oid:2.16.840.1.113883.2.9.4.3.2': 'Codice fiscale (IT)',
  'urn:oid:1.2.208.176.1.2': 'CPR (DK)',
  'urn:oid:1.2.246.21': 'HETU (FI)',
  'urn:oid:1.2.752.129.2.1.3.1': 'Personnummer (SE)',
  'urn:oid:2.16.578.1.12.4.1.4.1': 'Fødselsnummer (NO)',
};

export interface IdentifierText {
  /** What the identifier is, by name ("NHS number (UK)", "Medical record number"); empty when nothing names it. */
  label: string;
  value: string;
  /** The system URI when no name for it is known: shown small beside the value, never hidden. */
  system: string;
}

export const formatIdentifier = (identifier: unknown): IdentifierText => {
  if (!isObject(identifier)) return { label: '', value: '', system: '' };
  const system = text(identifier.system);
  const named = IDENTIFIER_SYSTEMS[system];
  // The type's text or display, else its bare code (v2 table 0203: `MR`, `PPN`), which clinicians read.
  const typeName = formatConcept(identifier.type);
  return {
    label: named ?? typeName,
    value: text(identifier.value),
    system: named ? '' : system,
  };
};
