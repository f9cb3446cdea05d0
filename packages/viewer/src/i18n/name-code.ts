import type { Messages } from './en.js';

/** Columns whose cells hold bare FHIR codes (possibly several, comma-separated) rather than free text. */
export const CODED_COLUMNS = new Set(['status', 'criticality', 'category', 'severity']);

/** `active, confirmed` -> `activo, confirmado`: each known code named in the reader's language. */
export const nameCodes = (value: string, t: Messages): string =>
  value
    .split(', ')
    .map((part) => t.codes[part] ?? part)
    .join(', ');
