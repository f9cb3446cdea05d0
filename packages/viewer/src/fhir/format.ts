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
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
};

export const formatCoding = (coding: unknown): string => {
  if (!isObject(coding)) return '';
  const display = str(coding.display);
  if (display) return display;
  const code = str(coding.code);
  const system = SYSTEM_NAMES[str(coding.system)];
  return code && system ? `${system} ${code}` : code;
};

/** `text`, else every coding's display (or code), de-duplicated. */
export const formatConcept = (concept: unknown): string => {
  if (!isObject(concept)) return str(concept);
  const text = str(concept.text);
  if (text) return text;
  const seen = new Set<string>();
  for (const coding of asArray(concept.coding)) {
    const shown = formatCoding(coding);
    if (shown) seen.add(shown);
  }
  return [...seen].join(' / ');
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

export const formatIdentifier = (identifier: unknown): { label: string; value: string } => {
  if (!isObject(identifier)) return { label: '', value: '' };
  const label = formatConcept(identifier.type) || str(identifier.system);
  return { label, value: str(identifier.value) };
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

export const formatAge = (age: unknown): string => formatQuantity(age);

/** `value[x]`, `onset[x]`, `effective[x]`... found by prefix, whatever the type suffix. */
export const choice = (resource: unknown, prefix: string): { type: string; value: unknown } | undefined => {
  if (!isObject(resource)) return undefined;
  for (const [field, value] of Object.entries(resource)) {
    if (
      field.startsWith(prefix) &&
      field.length > prefix.length &&
      /^[A-Z]/.test(field.slice(prefix.length))
    ) {
      return { type: field.slice(prefix.length), value };
    }
  }
  return undefined;
};

/** Any `[x]` choice value as text. */
export const formatChoice = (resource: unknown, prefix: string): string => {
  const found = choice(resource, prefix);
  if (!found) return '';
  const { type, value } = found;
  switch (type) {
    case 'Quantity':
    case 'Age':
    case 'Duration':
    case 'Count':
    case 'Distance':
    case 'SimpleQuantity':
      return formatQuantity(value);
    case 'CodeableConcept':
      return formatConcept(value);
    case 'Coding':
      return formatCoding(value);
    case 'Range':
      return formatRange(value);
    case 'Ratio':
      return formatRatio(value);
    case 'Period':
      return formatPeriod(value);
    case 'DateTime':
    case 'Date':
    case 'Instant':
      return formatDate(value);
    case 'Reference':
      return isObject(value) ? str(value.display) || str(value.reference) : '';
    case 'Annotation':
      return formatAnnotation(value);
    case 'Attachment':
      return isObject(value) ? str(value.title) || str(value.url) || str(value.contentType) : '';
    case 'Timing':
      return formatTiming(value);
    case 'SampledData':
      return isObject(value) ? str(value.data) : '';
    default:
      return str(value);
  }
};

export const formatTiming = (timing: unknown): string => {
  if (!isObject(timing)) return '';
  const code = formatConcept(timing.code);
  if (code) return code;
  const repeat = timing.repeat;
  if (!isObject(repeat)) return join(asArray(timing.event).map(formatDate));
  const frequency = str(repeat.frequency);
  const period = str(repeat.period);
  const unit = str(repeat.periodUnit);
  return frequency && period ? `${frequency} × / ${period} ${unit}`.trim() : '';
};

export const formatDosage = (dosage: unknown): string => {
  if (!isObject(dosage)) return '';
  const text = str(dosage.text);
  if (text) return text;
  const doses = asArray(dosage.doseAndRate)
    .filter(isObject)
    .map((d) => formatChoice(d, 'dose'));
  return join([...doses, formatTiming(dosage.timing), formatConcept(dosage.route)], ' · ');
};

export const text = str;
