import { hasLoincCode, IPS_COMPOSITION_CODE } from '../ips/ips-document.js';

/**
 * What a file to share is, in a few lines a person checks before sharing it: a FHIR resource (an IPS
 * document, another Bundle, any resource) or a `.smart-health-card` file. The admin app shows it for an
 * uploaded file; the server answers it for a patient summary fetched from its FHIR server
 * (`POST /api/links/from-fhir/preview`), so both say the same thing of the same document.
 */
export interface ContentPreview {
  /** One line: what this is (`International Patient Summary`, `FHIR Patient`, `2 health cards`). */
  kind: string;
  patient: string | null;
  /** IPS (or other document) sections with their entry counts, in document order. */
  sections: { title: string; entries: number }[];
  /** Entries of a Bundle, resources by type, for anything that is not a document. */
  resourceCounts: { type: string; count: number }[];
}

/** `readContent`'s answer: the content as it will be sent, with its preview, or why it cannot be shared. */
export type ContentReading =
  { ok: true; contentType: string; text: string; preview: ContentPreview } | { ok: false; problem: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** A FHIR Patient's official (else first) name: its `text`, else given names and family; null without. */
export const patientName = (patient: Json): string | null => {
  const names = Array.isArray(patient.name) ? patient.name.filter(isObject) : [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  if (name === undefined) return null;
  const whole = text(name.text);
  if (whole !== null) return whole;
  const given = Array.isArray(name.given) ? name.given.map(text).filter((g) => g !== null) : [];
  const parts = [...given, text(name.family)].filter((p) => p !== null);
  return parts.length === 0 ? null : parts.join(' ');
};

const codings = (concept: unknown): Json[] =>
  isObject(concept) && Array.isArray(concept.coding) ? concept.coding.filter(isObject) : [];

const sectionTitle = (section: Json): string =>
  text(section.title) ??
  codings(section.code)
    .map((c) => text(c.display) ?? text(c.code))
    .find((t) => t !== null) ??
  'Untitled section';

const countByType = (resources: Json[]): { type: string; count: number }[] => {
  const counts = new Map<string, number>();
  for (const resource of resources) {
    const type = typeof resource.resourceType === 'string' ? resource.resourceType : 'unknown';
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) => ({ type, count }));
};

const readBundle = (bundle: Json): ContentReading => {
  const entries = Array.isArray(bundle.entry) ? bundle.entry.filter(isObject) : [];
  const resources = entries.map((e) => e.resource).filter(isObject);
  if (resources.length !== entries.length) {
    return { ok: false, problem: 'This Bundle has an entry without a resource.' };
  }
  const patient = resources.find((r) => r.resourceType === 'Patient');
  const composition = resources[0]?.resourceType === 'Composition' ? resources[0] : undefined;
  if (bundle.type === 'document' && composition === undefined) {
    return {
      ok: false,
      problem:
        'This Bundle says it is a document, but its first entry is not a Composition (FHIR requires one), so it cannot be read as a patient summary.',
    };
  }
  // The same test as `isIpsDocument` (HL7 IPS IG: Composition typed LOINC 60591-5).
  const isIps = composition !== undefined && hasLoincCode(composition.type, IPS_COMPOSITION_CODE);
  const sections = Array.isArray(composition?.section) ? composition.section.filter(isObject) : [];
  return {
    ok: true,
    contentType: 'application/fhir+json',
    text: JSON.stringify(bundle),
    preview: {
      kind: isIps
        ? 'International Patient Summary'
        : composition !== undefined
          ? 'FHIR document'
          : `FHIR Bundle (${typeof bundle.type === 'string' ? bundle.type : 'no type'})`,
      patient: patient === undefined ? null : patientName(patient),
      sections: sections.map((s) => ({
        title: sectionTitle(s),
        entries: Array.isArray(s.entry) ? s.entry.length : 0,
      })),
      resourceCounts: composition === undefined ? countByType(resources) : [],
    },
  };
};

const readHealthCards = (file: Json): ContentReading => {
  const credentials = file.verifiableCredential;
  if (!Array.isArray(credentials) || credentials.length === 0) {
    return {
      ok: false,
      problem: 'A .smart-health-card file needs a non-empty "verifiableCredential" list.',
    };
  }
  if (!credentials.every((c) => typeof c === 'string' && COMPACT_JWS.test(c))) {
    return {
      ok: false,
      problem:
        'Each "verifiableCredential" of a .smart-health-card file must be a signed health card (a compact JWS).',
    };
  }
  return {
    ok: true,
    contentType: 'application/smart-health-card',
    text: JSON.stringify({ verifiableCredential: credentials }),
    preview: {
      kind: credentials.length === 1 ? '1 SMART Health Card' : `${credentials.length} SMART Health Cards`,
      patient: null,
      sections: [],
      resourceCounts: [],
    },
  };
};

/**
 * Reads a file's text: what it is, or why it cannot be shared (a sentence for a person). Only the shape
 * the server needs is checked; the server checks again. Never throws.
 */
export const readContent = (input: string): ContentReading => {
  if (input.trim() === '') return { ok: false, problem: 'Choose a file or paste its content first.' };
  let value: unknown;
  try {
    value = JSON.parse(input);
  } catch (error) {
    const detail = error instanceof Error ? ` (${error.message})` : '';
    return {
      ok: false,
      problem: `This is not valid JSON${detail}. Expected FHIR JSON (an IPS or any resource) or a .smart-health-card file.`,
    };
  }
  if (!isObject(value)) {
    return { ok: false, problem: 'Expected one JSON object (a FHIR resource or a .smart-health-card file).' };
  }
  if ('verifiableCredential' in value) return readHealthCards(value);
  const type = value.resourceType;
  if (typeof type !== 'string' || !RESOURCE_TYPE.test(type)) {
    return {
      ok: false,
      problem:
        'This JSON has no valid "resourceType", so it is not a FHIR resource; nor is it a .smart-health-card file (no "verifiableCredential").',
    };
  }
  if (type === 'Bundle') return readBundle(value);
  return {
    ok: true,
    contentType: 'application/fhir+json',
    text: JSON.stringify(value),
    preview: {
      kind: `FHIR ${type}`,
      patient: type === 'Patient' ? patientName(value) : null,
      sections: [],
      resourceCounts: [],
    },
  };
};
