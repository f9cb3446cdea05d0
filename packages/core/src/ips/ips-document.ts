import { type Bundle, type Coding, type FhirResource, isFhirResource, LOINC } from './fhir.js';

/** LOINC 60591-5 "Patient summary Document": the Composition type of every IPS. */
export const IPS_COMPOSITION_CODE = '60591-5';

/** The IPS sections by their LOINC code, in the order the IPS IG lists them. */
export const IPS_SECTIONS = {
  '48765-2': 'allergies',
  '10160-0': 'medications',
  '11450-4': 'problems',
  '11369-6': 'immunizations',
  '30954-2': 'results',
  '8716-3': 'vitalSigns',
  '47519-4': 'procedures',
  '46264-8': 'medicalDevices',
  '11348-0': 'pastIllness',
  '29762-2': 'socialHistory',
  '10162-6': 'pregnancy',
  '42348-3': 'advanceDirectives',
  '47420-5': 'functionalStatus',
  '18776-5': 'planOfCare',
  '81338-6': 'patientStory',
  '104605-1': 'alerts',
} as const;

export type IpsSectionCode = keyof typeof IPS_SECTIONS;
export type IpsSectionKey = (typeof IPS_SECTIONS)[IpsSectionCode];

const codings = (concept: unknown): Coding[] => {
  const coding = (concept as { coding?: unknown } | undefined)?.coding;
  return Array.isArray(coding) ? (coding as Coding[]) : [];
};

/**
 * True when a CodeableConcept has a coding with system LOINC and this code. Never throws.
 *
 * @param concept - a FHIR CodeableConcept (anything: a value without `coding` has no codes)
 * @param code - a LOINC code, e.g. `60591-5`
 */
export const hasLoincCode = (concept: unknown, code: string): boolean =>
  codings(concept).some((c) => c.system === LOINC && c.code === code);

/**
 * The IPS section key of a Composition.section, by its LOINC code, or undefined for another section.
 * Never throws. Spec: HL7 IPS IG, Composition sections (`IPS_SECTIONS`).
 */
export const ipsSectionKey = (section: unknown): IpsSectionKey | undefined => {
  for (const coding of codings((section as { code?: unknown } | undefined)?.code)) {
    if (coding.system === LOINC && coding.code && coding.code in IPS_SECTIONS) {
      return IPS_SECTIONS[coding.code as IpsSectionCode];
    }
  }
  return undefined;
};

/**
 * An IPS is a Bundle of type `document` whose first entry is a Composition typed LOINC 60591-5. The
 * profile in `meta.profile` is not looked at: most real IPS documents do not declare it. Never throws.
 * Spec: HL7 IPS IG, Bundle and Composition profiles.
 */
export const isIpsDocument = (value: unknown): value is Bundle => {
  if (!isFhirResource(value) || value.resourceType !== 'Bundle') return false;
  const bundle = value as Bundle;
  if (bundle.type !== 'document' || !Array.isArray(bundle.entry)) return false;
  const composition: FhirResource | undefined = bundle.entry[0]?.resource;
  return composition?.resourceType === 'Composition' && hasLoincCode(composition.type, IPS_COMPOSITION_CODE);
};
