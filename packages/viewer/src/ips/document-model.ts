import {
  type Bundle,
  createReferenceResolver,
  type FhirResource,
  type IpsSectionKey,
  ipsSectionKey,
  type ReferenceResolver,
} from '@shlkit/core';
import { asArray, formatConcept, formatDate, isObject, text } from '../fhir/format.js';
import { referenceLabel, referenceLabels } from '../fhir/resource-label.js';
import { en, type Messages } from '../i18n/en.js';
import { groupEntries, type ResourceTable } from './group-entries.js';

export type { ResourceTable } from './group-entries.js';

export interface SectionModel {
  /** The IPS section, by LOINC code; undefined for a section IPS does not define. */
  key: IpsSectionKey | undefined;
  title: string;
  /** The section's narrative XHTML (`text.div`), still unsanitised. */
  narrative: string | undefined;
  emptyReason: string | undefined;
  /** The list-empty-reason code, so the UI can name it in the reader's language when the text is only a code. */
  emptyReasonCode: string | undefined;
  tables: ResourceTable[];
  /** Entries of a type without a table: shown with the generic view. */
  others: FhirResource[];
  /** References that name nothing in the document: listed, so the reader knows something is missing. */
  unresolved: string[];
  subsections: SectionModel[];
}

export interface DocumentModel {
  title: string;
  date: string;
  authors: string;
  custodian: string;
  patient: FhirResource | undefined;
  composition: FhirResource;
  sections: SectionModel[];
  /** Bundle entries no section lists (practitioners, organisations, medications...): shown at the end. */
  unlisted: FhirResource[];
  resolve: ReferenceResolver;
}

const sectionModel = (
  section: Record<string, unknown>,
  t: Messages,
  resolve: ReferenceResolver,
  from: { fromFullUrl?: string; container: FhirResource },
  listed: Set<FhirResource>,
): SectionModel => {
  const entries: FhirResource[] = [];
  const unresolved: string[] = [];
  for (const entry of asArray(section.entry)) {
    const reference = isObject(entry) ? text(entry.reference) : '';
    const resource = resolve(reference || undefined, from);
    if (resource) entries.push(resource);
    else unresolved.push(reference || (isObject(entry) ? text(entry.display) : '') || '?');
  }
  const { tables, others, shown } = groupEntries(entries, { resolve, t });
  for (const resource of shown) listed.add(resource);
  const narrative = isObject(section.text) ? text(section.text.div) : '';
  return {
    key: ipsSectionKey(section),
    title: text(section.title) || formatConcept(section.code),
    narrative: narrative || undefined,
    emptyReason: formatConcept(section.emptyReason) || undefined,
    emptyReasonCode: emptyReasonCode(section.emptyReason),
    tables,
    others,
    unresolved,
    subsections: asArray(section.section)
      .filter(isObject)
      .map((sub) => sectionModel(sub, t, resolve, from, listed)),
  };
};

const LIST_EMPTY_REASON = 'http://terminology.hl7.org/CodeSystem/list-empty-reason';

const emptyReasonCode = (concept: unknown): string | undefined => {
  if (!isObject(concept)) return undefined;
  const coding = asArray(concept.coding).find((c) => isObject(c) && c.system === LIST_EMPTY_REASON);
  return isObject(coding) ? text(coding.code) || undefined : undefined;
};

/**
 * The reading model of an IPS document: banner data, sections as tables, and whatever no section lists.
 * `t` gives the phrases (dosage, yes/no) cells are written in.
 */
export const documentModel = (bundle: Bundle, t: Messages = en): DocumentModel => {
  const resolve = createReferenceResolver(bundle);
  const first = bundle.entry?.[0];
  const composition = first?.resource as FhirResource;
  const from = { ...(first?.fullUrl ? { fromFullUrl: first.fullUrl } : {}), container: composition };
  const patient = resolve(
    isObject(composition.subject) ? text(composition.subject.reference) : undefined,
    from,
  );
  const listed = new Set<FhirResource>([composition]);
  if (patient) listed.add(patient);
  const sections = asArray(composition.section)
    .filter(isObject)
    .map((section) => sectionModel(section, t, resolve, from, listed));
  const unlisted = (bundle.entry ?? [])
    .map((entry) => entry.resource)
    .filter((resource): resource is FhirResource => resource !== undefined && !listed.has(resource));
  return {
    title: text(composition.title) || formatConcept(composition.type),
    // The document's own date; the Bundle's timestamp (when it was assembled) only when the Composition has none.
    date: formatDate(composition.date) || formatDate(bundle.timestamp),
    authors: referenceLabels(composition.author, resolve, from),
    custodian: referenceLabel(composition.custodian, resolve, from),
    patient,
    composition,
    sections,
    unlisted,
    resolve,
  };
};
