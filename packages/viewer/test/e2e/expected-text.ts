import { type Bundle, createReferenceResolver, type FhirResource } from '@shlkit/core';

/**
 * What a reader must find on the page for a document, worked out from the bundle itself (not from the
 * viewer's code): the patient's family name, and for every entry of every section the text of its main
 * coded element (`text`, else a coding's display, else its code).
 */
type Concept = { text?: string; coding?: { display?: string; code?: string }[] };

const conceptTexts = (concept: unknown): string[] => {
  const c = concept as Concept | undefined;
  if (!c || typeof c !== 'object') return [];
  if (c.text) return [c.text];
  return (c.coding ?? []).map((coding) => coding.display ?? coding.code ?? '').filter(Boolean);
};

const MAIN_ELEMENT: Record<string, string[]> = {
  Immunization: ['vaccineCode'],
  MedicationStatement: ['medicationCodeableConcept'],
  MedicationRequest: ['medicationCodeableConcept'],
  Consent: ['category', 'scope'],
  CarePlan: ['title', 'category', 'description'],
  DocumentReference: ['type'],
};

export interface SectionExpectation {
  title: string;
  /** For each entry, the texts any one of which must appear. */
  entries: string[][];
  /** The section's `emptyReason`, as text, when it has one: the reader must be told why it is empty. */
  emptyReason: string[];
}

export const expectedTexts = (bundle: Bundle): { familyName: string; sections: SectionExpectation[] } => {
  const resolve = createReferenceResolver(bundle);
  const first = bundle.entry?.[0];
  const composition = first?.resource as FhirResource & {
    subject?: { reference?: string };
    section?: { title?: string; entry?: { reference?: string }[]; emptyReason?: unknown }[];
  };
  const context = { fromFullUrl: first?.fullUrl ?? '', container: composition };
  const patient = resolve(composition.subject?.reference, context) as {
    name?: { family?: string; text?: string }[];
  };
  const familyName = patient.name?.[0]?.family ?? patient.name?.[0]?.text ?? '';
  const mainTexts = (resource: FhirResource): string[] => {
    const fields = MAIN_ELEMENT[resource.resourceType] ?? ['code'];
    for (const field of fields) {
      const value = resource[field];
      const texts =
        typeof value === 'string'
          ? [value]
          : Array.isArray(value)
            ? value.flatMap(conceptTexts)
            : conceptTexts(value);
      if (texts.length > 0) return texts;
    }
    if (resource.resourceType.startsWith('Medication')) {
      const medication = resolve((resource.medicationReference as { reference?: string })?.reference, {
        container: resource,
      });
      if (medication) return conceptTexts(medication.code);
    }
    if (resource.resourceType === 'DeviceUseStatement') {
      const device = resolve((resource.device as { reference?: string })?.reference, { container: resource });
      return [...conceptTexts(device?.type), (resource.device as { display?: string })?.display ?? ''].filter(
        Boolean,
      );
    }
    return [];
  };
  const sections = (composition.section ?? []).map((section) => ({
    title: section.title ?? '',
    emptyReason: conceptTexts(section.emptyReason),
    entries: (section.entry ?? []).map((entry) => {
      const resource = resolve(entry.reference, context);
      return resource ? mainTexts(resource) : [];
    }),
  }));
  return { familyName, sections };
};

/** Page text and expected text compared with whitespace runs collapsed, as a reader sees them. */
export const normalizeSpace = (text: string): string => text.replace(/\s+/g, ' ').trim();
