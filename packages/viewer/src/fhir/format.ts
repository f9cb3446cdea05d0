/**
 * Plain-text renderings of FHIR R4 data types. Every function takes `unknown` because decrypted documents
 * are untrusted input: a wrong shape gives an empty string, never a throw.
 */

type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

const str = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';

const join = (parts: readonly string[], separator = ', '): string =>
  parts.filter((p) => p !== '').join(separator);

// Well-known code systems, named when a coding has a code but no display: "CVX 207" says more than "207".
const SYSTEM_NAMES: Record<string, string> = {
  'http://hl7.org/fhir/sid/cvx': 'CVX',
  'http://snomed.info/sct': 'SNOMED CT',
  'http://loinc.org': 'LOINC',
  'http://www.whocc.no/atc': 'ATC',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://id.who.int/icd/release/11/mms': 'ICD-11',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://hl7.org/fhir/sid/ndc': 'NDC',
  'http://standardterms.edqm.eu': 'EDQM',
  'http://unitsofmeasure.org': 'UCUM',
  'http://www.ama-assn.org/go/cpt': 'CPT',
};

/** A short name for a well-known code system ("SNOMED CT"), else undefined. */
export const systemName = (system: unknown): string | undefined => SYSTEM_NAMES[str(system)];

/** FHIR's own code systems: their codes are short words ("active", "PO") better shown bare. */
const isFhirCodeSystem = (system: string): boolean =>
  system.startsWith('http://terminology.hl7.org/') || system.startsWith('http://hl7.org/fhir/');

/** A coding's code with its system named ("ATC J07BA01"), so a bare code is placeable. */
export const formatCode = (coding: unknown): string => {
  if (!isObject(coding)) return '';
  const code = str(coding.code);
  const system = str(coding.system);
  const name = SYSTEM_NAMES[system];
  if (!code) return '';
  if (name) return `${name} ${code}`;
  return system && !isFhirCodeSystem(system) ? `${code} (${system})` : code;
};

/** A coding's display; else its code with the system named. */
export const formatCoding = (coding: unknown): string =>
  isObject(coding) ? str(coding.display) || formatCode(coding) : '';

/**
 * The one name a CodeableConcept is shown by: its `text`, else the coding the user picked
 * (`userSelected`), else the first coding with a display, else the first code with its system named.
 * Senders list translations and broader codes beside the main one ("Penicillin", "Allergy to penicillin",
 * an ATC class); joining them all reads as several different things. The other codings stay in the row's
 * details.
 */
export const formatConcept = (concept: unknown): string => {
  if (!isObject(concept)) return str(concept);
  const text = str(concept.text).trim();
  if (text) return text;
  const codings = asArray(concept.coding).filter(isObject);
  const chosen =
    codings.find((coding) => coding.userSelected === true && str(coding.display)) ??
    codings.find((coding) => str(coding.display)) ??
    codings.find((coding) => str(coding.code));
  return formatCoding(chosen);
};

export const formatConcepts = (concepts: unknown): string => join(asArray(concepts).map(formatConcept));

export const formatQuantity = (quantity: unknown): string => {
  if (!isObject(quantity)) return '';
  const value = str(quantity.value);
  const unit = str(quantity.unit) || str(quantity.code);
  return join([`${str(quantity.comparator)}${value}`, unit], ' ');
};

export const formatRange = (range: unknown): string => {
  if (!isObject(range)) return '';
  const low = formatQuantity(range.low);
  const high = formatQuantity(range.high);
  if (low && high) return `${low} – ${high}`;
  if (low) return `≥ ${low}`;
  if (high) return `≤ ${high}`;
  return '';
};

export const formatRatio = (ratio: unknown): string => {
  if (!isObject(ratio)) return '';
  const numerator = formatQuantity(ratio.numerator);
  const denominator = formatQuantity(ratio.denominator);
  return numerator && denominator ? `${numerator} / ${denominator}` : numerator;
};

/**
 * FHIR dates keep their precision: `2020`, `2020-03`, `2020-03-09`, or a dateTime. We show the date part
 * and the time to the minute without converting zones, which would invent precision the source lacks.
 */
export const formatDate = (value: unknown): string => {
  const text = str(value);
  const match = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T(\d{2}:\d{2}))?/.exec(text);
  if (!match) return text;
  return match[2] ? `${match[1]} ${match[2]}` : (match[1] ?? text);
};

export const formatPeriod = (period: unknown): string => {
  if (!isObject(period)) return '';
  const start = formatDate(period.start);
  const end = formatDate(period.end);
  if (start && end) return `${start} – ${end}`;
  if (start) return `${start} –`;
  return end ? `– ${end}` : '';
};

export const formatHumanName = (name: unknown): string => {
  if (!isObject(name)) return '';
  const text = str(name.text);
  if (text) return text;
  return join(
    [
      ...asArray(name.prefix).map(str),
      ...asArray(name.given).map(str),
      str(name.family),
      ...asArray(name.suffix).map(str),
    ],
    ' ',
  );
};

/** The `official` or `usual` name first, else the first one. */
export const formatNames = (names: unknown): string => {
  const list = asArray(names).filter(isObject);
  const preferred = list.find((n) => n.use === 'official') ?? list.find((n) => n.use === 'usual') ?? list[0];
  return formatHumanName(preferred);
};

export const formatAddress = (address: unknown): string => {
  if (!isObject(address)) return '';
  const text = str(address.text);
  if (text) return text;
  return join([
    ...asArray(address.line).map(str),
    str(address.city),
    str(address.state),
    str(address.postalCode),
    str(address.country),
  ]);
};

export const formatTelecom = (contact: unknown): string => {
  if (!isObject(contact)) return '';
  return join([str(contact.value), str(contact.use)], ' ');
};

export const formatAnnotation = (note: unknown): string => (isObject(note) ? str(note.text) : str(note));

export const text = str;
