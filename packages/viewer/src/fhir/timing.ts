import { type DosagePhrases, TIME_UNITS, type TimeUnit } from '../i18n/dosage-phrases.js';
import { asArray, formatConcept, formatDate, formatQuantity, isObject, text } from './format.js';

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const timeUnit = (value: unknown): TimeUnit | undefined => TIME_UNITS.find((unit) => unit === value);

// A Duration's `code` is UCUM; senders that leave it out often spell the unit out.
const UNIT_WORDS: Record<string, TimeUnit> = {
  second: 's',
  seconds: 's',
  minute: 'min',
  minutes: 'min',
  hour: 'h',
  hours: 'h',
  hr: 'h',
  day: 'd',
  days: 'd',
  week: 'wk',
  weeks: 'wk',
  month: 'mo',
  months: 'mo',
  year: 'a',
  years: 'a',
};

const quantityUnit = (quantity: Record<string, unknown>): TimeUnit | undefined =>
  timeUnit(quantity.code) ?? timeUnit(quantity.unit) ?? UNIT_WORDS[text(quantity.unit).toLowerCase()];

/** A Duration (or a Range of two) in words: `7 days`, `5–7 days`; an unknown unit is shown as sent. */
const formatDuration = (value: unknown, p: DosagePhrases): string => {
  if (!isObject(value)) return '';
  if (isObject(value.low) || isObject(value.high)) {
    const low = isObject(value.low) ? value.low : {};
    const high = isObject(value.high) ? value.high : {};
    const unit = quantityUnit(low) ?? quantityUnit(high);
    const from = num(low.value);
    const to = num(high.value);
    if (unit && from !== undefined) return p.duration(from, to, unit);
    if (unit && to !== undefined) return p.duration(to, undefined, unit);
    return [formatQuantity(low), formatQuantity(high)].filter(Boolean).join(' – ');
  }
  const unit = quantityUnit(value);
  const amount = num(value.value);
  return unit && amount !== undefined ? p.duration(amount, undefined, unit) : formatQuantity(value);
};

// HL7 v3 GTSAbbreviation codes senders put in `Timing.code` instead of (or beside) a `repeat`.
const ABBREVIATIONS: Record<string, Record<string, unknown>> = {
  QD: { frequency: 1, period: 1, periodUnit: 'd' },
  BID: { frequency: 2, period: 1, periodUnit: 'd' },
  TID: { frequency: 3, period: 1, periodUnit: 'd' },
  QID: { frequency: 4, period: 1, periodUnit: 'd' },
  QOD: { frequency: 1, period: 2, periodUnit: 'd' },
  Q1H: { frequency: 1, period: 1, periodUnit: 'h' },
  Q2H: { frequency: 1, period: 2, periodUnit: 'h' },
  Q3H: { frequency: 1, period: 3, periodUnit: 'h' },
  Q4H: { frequency: 1, period: 4, periodUnit: 'h' },
  Q6H: { frequency: 1, period: 6, periodUnit: 'h' },
  Q8H: { frequency: 1, period: 8, periodUnit: 'h' },
  WK: { frequency: 1, period: 1, periodUnit: 'wk' },
  MO: { frequency: 1, period: 1, periodUnit: 'mo' },
  AM: { when: ['MORN'] },
  PM: { when: ['AFT'] },
  BED: { when: ['HS'] },
};

const abbreviation = (code: unknown): Record<string, unknown> | undefined => {
  if (!isObject(code)) return undefined;
  for (const coding of asArray(code.coding)) {
    const found = isObject(coding) ? ABBREVIATIONS[text(coding.code).toUpperCase()] : undefined;
    if (found) return found;
  }
  return undefined;
};

/** How often and when, from `frequency`/`period`/`periodUnit` and the other repeat elements. */
const frequencyPhrase = (repeat: Record<string, unknown>, p: DosagePhrases): string => {
  const frequency = num(repeat.frequency);
  const frequencyMax = num(repeat.frequencyMax);
  const period = num(repeat.period);
  const periodMax = num(repeat.periodMax);
  if (period !== undefined) {
    const unit = timeUnit(repeat.periodUnit);
    if (unit) return p.frequency({ frequency: frequency ?? 1, frequencyMax, period, periodMax, unit });
    // An unknown unit: still every number the sender gave, readable.
    return `${p.times(frequency ?? 1, frequencyMax)} / ${period} ${text(repeat.periodUnit)}`.trim();
  }
  return frequency !== undefined ? p.times(frequency, frequencyMax) : '';
};

const MEAL_EVENT = /^(AC|PC)[MDV]?$/;

const whenPhrase = (repeat: Record<string, unknown>, p: DosagePhrases): string => {
  const codes = asArray(repeat.when).map(text).filter(Boolean);
  if (codes.length === 0) return '';
  const phrases = codes.map((code) => p.when[code] ?? code);
  const offset = num(repeat.offset);
  // An offset only reads well against a before/after-meal event: "30 minutes before breakfast".
  if (offset && codes.length === 1 && MEAL_EVENT.test(codes[0] ?? '')) {
    return p.offset(p.duration(offset, undefined, 'min'), phrases[0] ?? '');
  }
  return p.list(phrases);
};

const boundsPhrase = (repeat: Record<string, unknown>, p: DosagePhrases): string => {
  if (isObject(repeat.boundsDuration)) return p.forDuration(formatDuration(repeat.boundsDuration, p));
  if (isObject(repeat.boundsRange)) return p.forDuration(formatDuration(repeat.boundsRange, p));
  if (isObject(repeat.boundsPeriod)) {
    return p.between(formatDate(repeat.boundsPeriod.start), formatDate(repeat.boundsPeriod.end));
  }
  return '';
};

/** How long one administration lasts: `over 30 minutes`. */
const administrationPhrase = (repeat: Record<string, unknown>, p: DosagePhrases): string => {
  const value = num(repeat.duration);
  if (value === undefined) return '';
  const unit = timeUnit(repeat.durationUnit);
  return p.over(
    unit ? p.duration(value, num(repeat.durationMax), unit) : `${value} ${text(repeat.durationUnit)}`.trim(),
  );
};

const repeatPhrase = (repeat: Record<string, unknown>, p: DosagePhrases): string => {
  const days = asArray(repeat.dayOfWeek)
    .map((day) => (p.days as Record<string, string>)[text(day)] ?? text(day))
    .filter(Boolean);
  const clock = asArray(repeat.timeOfDay)
    .map((time) => text(time).replace(/^(\d{2}:\d{2}):00$/, '$1'))
    .filter(Boolean);
  const count = num(repeat.count);
  const how = [
    frequencyPhrase(repeat, p),
    days.length > 0 ? p.onDays(p.list(days)) : '',
    whenPhrase(repeat, p),
    clock.length > 0 ? p.atTimes(p.list(clock)) : '',
    administrationPhrase(repeat, p),
  ]
    .filter(Boolean)
    .join(' ');
  return [how, boundsPhrase(repeat, p), count !== undefined ? p.count(count, num(repeat.countMax)) : '']
    .filter(Boolean)
    .join(', ');
};

/**
 * A FHIR Timing as a clinician says it: "twice daily", "every 8 hours for 7 days", "once weekly on
 * Monday". What has no phrase (an unknown unit, a code we do not know) is still shown as sent.
 */
export const formatTiming = (timing: unknown, p: DosagePhrases): string => {
  if (!isObject(timing)) return '';
  const repeat = isObject(timing.repeat) ? timing.repeat : abbreviation(timing.code);
  const said = repeat ? repeatPhrase(repeat, p) : '';
  if (said) return said;
  const code = formatConcept(timing.code);
  if (code) return code;
  return p.list(asArray(timing.event).map(formatDate).filter(Boolean));
};
