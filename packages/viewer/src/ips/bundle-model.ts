import {
  type Bundle,
  createReferenceResolver,
  type FhirResource,
  type IpsSectionKey,
  type ReferenceResolver,
} from '@shlkit/core';
import { asArray, formatDate, isObject, text } from '../fhir/format.js';
import { en, type Messages } from '../i18n/en.js';
import type { SectionModel } from './document-model.js';
import { groupEntries } from './group-entries.js';

export interface BundleModel {
  /** `searchset`, `collection`...: named in the line that says why there are no IPS sections. */
  type: string;
  /** Bundle.timestamp: when the bundle was assembled, the only date a bundle without a Composition has. */
  date: string;
  patients: FhirResource[];
  /** One per IPS section the entries belong to (then one per other resource type), with the same tables. */
  sections: SectionModel[];
  /** Entries of a type without a table (practitioners, organisations, an OperationOutcome...). */
  unlisted: FhirResource[];
  resolve: ReferenceResolver;
}

const SECTION_OF_TYPE: Record<string, IpsSectionKey> = {
  AllergyIntolerance: 'allergies',
  MedicationStatement: 'medications',
  MedicationRequest: 'medications',
  MedicationAdministration: 'medications',
  MedicationDispense: 'medications',
  Condition: 'problems',
  Immunization: 'immunizations',
  DiagnosticReport: 'results',
  Procedure: 'procedures',
  Device: 'medicalDevices',
  DeviceUseStatement: 'medicalDevices',
  Flag: 'alerts',
  Consent: 'advanceDirectives',
  CarePlan: 'planOfCare',
};

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** Vital signs and social history apart from results, as an IPS would file them. */
const observationSection = (observation: FhirResource): IpsSectionKey => {
  for (const category of asArray(observation.category)) {
    for (const coding of isObject(category) ? asArray(category.coding) : []) {
      if (!isObject(coding) || coding.system !== OBSERVATION_CATEGORY) continue;
      if (coding.code === 'vital-signs') return 'vitalSigns';
      if (coding.code === 'social-history') return 'socialHistory';
    }
  }
  return 'results';
};

const sectionOf = (resource: FhirResource): IpsSectionKey | undefined =>
  resource.resourceType === 'Observation'
    ? observationSection(resource)
    : SECTION_OF_TYPE[resource.resourceType];

const emptySection = (key: IpsSectionKey | undefined, title: string): SectionModel => ({
  key,
  title,
  narrative: undefined,
  emptyReason: undefined,
  emptyReasonCode: undefined,
  tables: [],
  others: [],
  unresolved: [],
  subsections: [],
});

/**
 * A Bundle that is not an IPS document (a `$summary` answered as a `searchset`, a `collection`, a
 * `document` without a Composition): the patients for the banner, the other entries filed under the IPS
 * section they belong to, in the IPS order, with the same tables, and whatever has no table at the end.
 */
export const bundleModel = (bundle: Bundle, t: Messages = en): BundleModel => {
  const resolve = createReferenceResolver(bundle);
  const patients: FhirResource[] = [];
  const bySection = new Map<string, FhirResource[]>();
  const rest: FhirResource[] = [];
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (!isObject(resource) || typeof resource.resourceType !== 'string') continue;
    if (resource.resourceType === 'Patient') {
      patients.push(resource);
      continue;
    }
    const key = sectionOf(resource) ?? `type:${resource.resourceType}`;
    const list = bySection.get(key);
    if (list) list.push(resource);
    else bySection.set(key, [resource]);
  }
  const order = Object.keys(t.ips.sections);
  const keys = [...bySection.keys()].sort((a, b) => rank(order, a) - rank(order, b));
  const sections: SectionModel[] = [];
  for (const key of keys) {
    const { tables, others } = groupEntries(bySection.get(key) ?? [], { resolve, t });
    if (tables.length === 0) {
      rest.push(...others);
      continue;
    }
    const ipsKey = key.startsWith('type:') ? undefined : (key as IpsSectionKey);
    sections.push({ ...emptySection(ipsKey, ipsKey ? '' : key.slice('type:'.length)), tables, others });
  }
  return {
    type: text(bundle.type),
    date: formatDate(bundle.timestamp),
    patients,
    sections,
    unlisted: rest,
    resolve,
  };
};

// IPS sections in the IPS order, then resource types in order of first appearance (a stable sort keeps it).
const rank = (order: string[], key: string): number => {
  const index = order.indexOf(key);
  return index === -1 ? order.length : index;
};
