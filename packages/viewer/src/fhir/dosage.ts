import type { DosagePhrases } from '../i18n/dosage-phrases.js';
import { choice } from './choice-value.js';
import {
  asArray,
  formatConcept,
  formatConcepts,
  formatQuantity,
  formatRatio,
  isObject,
  text,
} from './format.js';
import { formatTiming } from './timing.js';

/** A dose range with one unit said once: `1–2 tablet`, not `1 tablet – 2 tablet`. */
const formatDoseRange = (range: unknown): string => {
  if (!isObject(range)) return '';
  const low = isObject(range.low) ? range.low : {};
  const high = isObject(range.high) ? range.high : {};
  const lowUnit = text(low.unit) || text(low.code);
  const highUnit = text(high.unit) || text(high.code);
  if (typeof low.value === 'number' && typeof high.value === 'number' && (!lowUnit || lowUnit === highUnit)) {
    return `${low.value}–${high.value} ${highUnit}`.trim();
  }
  return [formatQuantity(low), formatQuantity(high)].filter(Boolean).join(' – ');
};

const formatDoseOrRate = (value: { type: string; value: unknown } | undefined): string => {
  switch (value?.type) {
    case 'Quantity':
    case 'SimpleQuantity':
      return formatQuantity(value.value);
    case 'Range':
      return formatDoseRange(value.value);
    case 'Ratio':
      return formatRatio(value.value);
    default:
      return '';
  }
};

const asNeededPhrase = (dosage: Record<string, unknown>, p: DosagePhrases): string => {
  const found = choice(dosage, 'asNeeded');
  if (found?.type === 'Boolean') return found.value === true ? p.asNeeded : '';
  if (found?.type === 'CodeableConcept') {
    const reason = formatConcept(found.value);
    return reason ? p.asNeededFor(reason) : p.asNeeded;
  }
  return '';
};

/**
 * The structured part of one Dosage in the reader's language: dose, rate, timing, "as needed", route,
 * limits and extra instructions. Empty when the sender gave only `text`.
 */
export const dosagePhrase = (dosage: unknown, p: DosagePhrases): string => {
  if (!isObject(dosage)) return '';
  const doseAndRate = asArray(dosage.doseAndRate).filter(isObject);
  const dose = doseAndRate.map((d) => formatDoseOrRate(choice(d, 'dose'))).find(Boolean) ?? '';
  const rate = doseAndRate.map((d) => formatDoseOrRate(choice(d, 'rate'))).find(Boolean) ?? '';
  const how = [dose, rate ? p.rate(rate) : '', formatTiming(dosage.timing, p)].filter(Boolean).join(' ');
  const sentence = [how, asNeededPhrase(dosage, p)].filter(Boolean).join(', ');
  const route = formatConcept(dosage.route);
  const limit = asArray(dosage.maxDosePerPeriod).map(formatRatio).find(Boolean) ?? '';
  return [
    sentence,
    route ? p.route(route) : '',
    limit ? p.maxPerPeriod(limit) : '',
    formatConcepts(dosage.additionalInstruction),
    text(dosage.patientInstruction),
  ]
    .filter(Boolean)
    .join(' · ');
};

export interface DosageText {
  /** What to show first: the sender's `text` when present, else the structured phrase. */
  main: string;
  /** The structured phrase under the sender's text, when both exist and say it differently. */
  secondary: string;
}

/** One Dosage: `Dosage.text` first (the prescriber's words), the structured phrase with it. */
export const formatDosage = (dosage: unknown, p: DosagePhrases): DosageText => {
  const written = isObject(dosage) ? text(dosage.text).trim() : '';
  const phrase = dosagePhrase(dosage, p);
  if (!written) return { main: phrase, secondary: '' };
  return { main: written, secondary: phrase.toLowerCase() === written.toLowerCase() ? '' : phrase };
};

/** Several Dosage elements (a tapering schedule, morning and evening doses), in order. */
export const formatDosages = (dosages: unknown, p: DosagePhrases): DosageText => {
  const each = asArray(dosages)
    .filter(isObject)
    .sort(
      (a, b) =>
        (typeof a.sequence === 'number' ? a.sequence : 0) - (typeof b.sequence === 'number' ? b.sequence : 0),
    )
    .map((dosage) => formatDosage(dosage, p));
  return {
    main: each
      .map((d) => d.main)
      .filter(Boolean)
      .join('; '),
    secondary: each
      .map((d) => d.secondary)
      .filter(Boolean)
      .join('; '),
  };
};
