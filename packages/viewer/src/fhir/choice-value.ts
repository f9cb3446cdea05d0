import type { DosagePhrases } from '../i18n/dosage-phrases.js';
import {
  formatAnnotation,
  formatCoding,
  formatConcept,
  formatDate,
  formatPeriod,
  formatQuantity,
  formatRange,
  formatRatio,
  isObject,
  text,
} from './format.js';
import { formatTiming } from './timing.js';

/** The words a choice value needs in the reader's language. */
export interface ChoicePhrases {
  values: { yes: string; no: string };
  dosage: DosagePhrases;
}

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
export const formatChoice = (resource: unknown, prefix: string, p: ChoicePhrases): string => {
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
    case 'Boolean':
      return value === true ? p.values.yes : value === false ? p.values.no : '';
    case 'Reference':
      return isObject(value) ? text(value.display) || text(value.reference) : '';
    case 'Annotation':
      return formatAnnotation(value);
    case 'Attachment':
      return isObject(value) ? text(value.title) || text(value.url) || text(value.contentType) : '';
    case 'Timing':
      return formatTiming(value, p.dosage);
    case 'SampledData':
      return isObject(value) ? text(value.data) : '';
    default:
      return text(value);
  }
};
